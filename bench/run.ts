import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolvePorts } from '../local/ports';
import { localServices } from '../local/services/index';
import type { SpannerStackState } from '../local/services/spanner';
import { createServerlessOfflineService } from '../local/services/serverless-offline';
import { startStack } from '../local/stack';
import { tokenFor } from '../local/tokens';
import { parseGatewayConfig as parseConfig } from '../shared/modules/gateway-config';
import { configDocument, unitTestEnv } from '../tests/helpers/config';
import { coldBurst, formatColdBurst } from './sections/cold-burst';
import { coldStarts, type ColdStartRequest, type ColdStartResult } from './sections/cold-start';
import { ioPerRequest, type IoResult } from './sections/io-per-request';
import { memoryGrowth } from './sections/memory';
import { formatScrubReport, scrubBench, type ScrubBenchResult } from './sections/scrub';
import {
  spannerReport,
  spannerRoundTrips,
  type SpannerRoundTripsResult,
} from './sections/spanner-round-trips';
import { throughput, type ThroughputResult } from './sections/throughput';
import { warmOverhead } from './sections/warm-overhead';
import { round } from './stats';

/**
 * `npm run bench`: what the gateway costs on top of the call it protects. Brings up the
 * offline stack on its own ports (offset 50000), measures, stops it. Never part of `npm test`.
 */
const durationSeconds = Number(process.env.BENCH_DURATION_SECONDS ?? 30);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const ports = resolvePorts({
  ...process.env,
  CROSSGATE_PORT_OFFSET: process.env.CROSSGATE_PORT_OFFSET ?? '50000',
});

const services = [
  ...localServices.filter((service) => service.name !== 'serverless-offline'),
  createServerlessOfflineService({ configFile: 'serverless.bench.yml' }),
];

console.log(`crossgate bench: starting the offline stack (gateway on ${ports.gateway})...`);
const stack = await startStack({
  ports,
  services,
  stateFile: `.local/stack-bench-${ports.gateway}.json`,
});
// Ctrl-C or a CI timeout stops what the benchmark started, not just the benchmark.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stack.stop().finally(() => process.exit(130));
  });
}
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cpuCount: cpus().length,
};
try {
  // In-process sections run as a Lambda would: region and role credentials in the environment
  // (moto's test credentials here).
  for (const name of [
    'AWS_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
  ]) {
    const value = stack.state.lambdaEnv?.[name];
    if (value) process.env[name] = value;
  }
  const config = parseConfig(configDocument(), { ...unitTestEnv, ...stack.state.lambdaEnv });

  console.log(
    `4. throughput through serverless offline (${durationSeconds} s each, 32 connections)...`,
  );
  const bob = { authorization: `Bearer ${await tokenFor(stack.state, 'bob')}` };
  const gateway = stack.state.gatewayUrl!;
  // serverless offline starts one worker (a cold container) per concurrent request, and 32
  // workers compiling handlers at once on a small machine starve each other for minutes.
  // Connections ramp up (4, 8, 16, 24, 32) so that every worker exists, then the run counts.
  const rampStepSeconds = Number(process.env.BENCH_RAMP_STEP_SECONDS ?? 6);
  const measured = async (target: {
    name: string;
    url: string;
    headers?: Record<string, string>;
  }) => {
    for (const connections of [4, 8, 16, 24, 32]) {
      await throughput({ ...target, name: 'warm-up' }, rampStepSeconds, connections);
    }
    return throughput(target, durationSeconds);
  };
  const bare = await measured({ name: 'GET /bare', url: `${gateway}/bare` });
  const me = await measured({ name: 'GET /me', url: `${gateway}/me`, headers: bob });
  const run = await measured({
    name: 'GET /run/echo/hello',
    url: `${gateway}/run/echo/hello`,
    headers: bob,
  });
  results.throughput = {
    runs: [me, run, bare],
    meToBare: round(me.requestsPerSecondMedian / bare.requestsPerSecondMedian, 2),
    runToBare: round(run.requestsPerSecondMedian / bare.requestsPerSecondMedian, 2),
  };

  console.log(`1. warm overhead in process (${iterations} iterations per subject)...`);
  const warm = await warmOverhead(stack.state, config, iterations);
  results.warmOverhead = warm;

  console.log('2. cold start per packaged function (osls package, then a fresh process each)...');
  const bearer = async (name: string) => ({
    authorization: `Bearer ${await tokenFor(stack.state, name)}`,
  });
  const coldRequests: Record<string, () => Promise<ColdStartRequest>> = {
    health: async () => ({ routeKey: 'GET /health', path: '/health' }),
    me: async () => ({ routeKey: 'GET /me', path: '/me', headers: await bearer('bob') }),
    gerrit: async () => ({
      routeKey: 'GET /gerrit/changes',
      path: '/gerrit/changes',
      headers: await bearer('bob'),
    }),
    run: async () => ({
      routeKey: 'ANY /run/{service}/{proxy+}',
      path: '/run/echo/hello',
      method: 'GET',
      pathParameters: { service: 'echo', proxy: 'hello' },
      headers: await bearer('bob'),
    }),
    spanner: async () => ({
      routeKey: 'POST /spanner/{query}',
      path: '/spanner/listSingers',
      pathParameters: { query: 'listSingers' },
      headers: { ...(await bearer('bob')), 'content-type': 'application/json' },
      body: JSON.stringify({ params: {} }),
    }),
  };
  results.coldStart = await coldStarts(stack.state, coldRequests);

  console.log('3. backend-credential I/O: 50 concurrent cold requests, then 1,000 warm ones...');
  results.io = await ioPerRequest(stack.state, config);

  console.log('5. memory after 1,000 and 10,000 warm requests...');
  results.memory = await memoryGrowth(stack.state, config);

  console.log('6. Spanner round trips per warm request, and per-read latency on the emulator...');
  const emulator = stack.state.spanner as SpannerStackState | undefined;
  if (emulator) results.spannerRoundTrips = await spannerRoundTrips(emulator);

  console.log("7. secret scrubbing on this repository's history (git log -p)...");
  results.scrub = await scrubBench();
} finally {
  await stack.stop();
}

// After the bench stack is down, so that nothing else competes: each run starts its own stack.
console.log(
  '8. cold burst: 50 concurrent first requests on a fresh stack, without/with embedded JWKS...',
);
results.coldBurst = await coldBurst({ concurrency: Number(process.env.BENCH_COLD_BURST ?? 50) });

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
printReport(results);

function printReport(all: Record<string, unknown>): void {
  const warm = all.warmOverhead as Awaited<ReturnType<typeof warmOverhead>>;
  const memory = all.memory as Awaited<ReturnType<typeof memoryGrowth>>;
  const tp = all.throughput as { runs: ThroughputResult[]; meToBare: number; runToBare: number };
  const io = all.io as IoResult[];
  const cold = all.coldStart as ColdStartResult[];
  const kb = (bytes: number) => `${round(bytes / 1024, 0)} KB`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`
crossgate benchmark  ${all.date}  node ${all.node}  ${all.cpu} x${all.cpuCount}

1. Warm overhead per request, in process (median / p99, µs)
   gateway chain on GET /me      ${warm.gatewayMedianUs} / ${warm.gatewayP99Us}
   bare handler, same body       ${warm.bareMedianUs} / ${warm.bareP99Us}
   one RS256 verify (node:crypto) ${warm.rs256MedianUs} / ${warm.rs256P99Us}
   ratio to bare ${warm.ratioToBare}x, to RS256 ${warm.ratioToRs256}x   target <= 1.5x RS256: ${verdict(warm.ratioToRs256 <= 1.5)}
   JWKS fetches over ${warm.iterations} requests: ${warm.jwksFetches}

2. Cold start per packaged function (median of 5 fresh processes)
${cold
  .map(
    (c) =>
      `   ${c.function.padEnd(8)} load ${String(c.loadMedianMs).padStart(6)} ms   first request ${String(c.firstInvokeMedianMs).padStart(6)} ms (${c.status})   bundle ${kb(c.bundleBytes)} (gzip ${kb(c.bundleGzipBytes)}), zip ${kb(c.zipBytes)}` +
      (c.function === 'spanner'
        ? `\n            SDK alone ${c.sdkLoadMedianMs} ms, ratio ${c.ratioToSdk}x   target <= 1.2x: ${verdict((c.ratioToSdk ?? 99) <= 1.2)}`
        : ['me', 'run'].includes(c.function)
          ? `   target load < 60 ms: ${verdict(c.loadMedianMs < 60)}`
          : ''),
  )
  .join('\n')}

3. Backend-credential I/O per request (one fresh container per function)
   function   cold x50: SM / mints / sessions / JWKS    warm x1000: SM / mints / sessions / JWKS   per warm request
${io
  .map(
    (r) =>
      `   ${r.function.padEnd(9)}  ${[r.cold50.secretsManagerCalls, r.cold50.googleTokenMints, r.cold50.spannerSessionsCreated, r.cold50.jwksFetches].join(' / ').padEnd(38)}  ${[r.warm1000.secretsManagerCalls, r.warm1000.googleTokenMints, r.warm1000.spannerSessionsCreated, r.warm1000.jwksFetches].join(' / ').padEnd(38)}  ${r.warmPerRequest}   (statuses ${JSON.stringify(r.statuses)})`,
  )
  .join('\n')}
   target 0 per warm request: ${verdict(io.every((r) => r.warmPerRequest === 0))}

4. Throughput through serverless offline (requests/s median, latency p50 / p99 ms)
${tp.runs.map((run) => `   ${run.name.padEnd(28)} ${String(run.requestsPerSecondMedian).padStart(7)} req/s   ${run.latencyMedianMs} / ${run.latencyP99Ms} ms   non-2xx ${run.non2xx}`).join('\n')}
   /me to bare: ${tp.meToBare}x   target >= 0.9x: ${verdict(tp.meToBare >= 0.9)}
   /run/echo to bare: ${tp.runToBare}x (a real backend call behind it)

5. Memory (one container, warm /me)
   after 1,000: RSS ${memory.rssAfter1kMb} MB, heap ${memory.heapAfter1kMb} MB
   after 10,000: RSS ${memory.rssAfter10kMb} MB, heap ${memory.heapAfter10kMb} MB   heap growth ${memory.heapGrowthMb} MB
${formatScrubReport(all.scrub as ScrubBenchResult)}

${spannerReport(all.spannerRoundTrips as SpannerRoundTripsResult | undefined)}

8. Cold burst (GET /me, 50 concurrent first requests, a fresh offline stack per line)
${formatColdBurst(all.coldBurst as Awaited<ReturnType<typeof coldBurst>>)}
Results: bench/results/latest.json`);
}
