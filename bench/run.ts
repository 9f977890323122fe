import { cpus, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolvePorts } from '../local/ports';
import { localServices } from '../local/services/index';
import type { SpannerStackState } from '../local/services/spanner';
import { createServerlessOfflineService } from '../local/services/serverless-offline';
import { startStack } from '../local/stack';
import { tokenFor } from '../local/tokens';
import { parseGatewayConfig as parseConfig } from '../shared/modules/gateway-config';
import { configDocument, unitTestEnv } from '../tests/helpers/config';
import { assertionSigning, type AssertionSigningResult } from './sections/assertion-signing';
import { coldBurst, coldBurstConcurrency, formatColdBurst } from './sections/cold-burst';
import {
  coldStarts,
  nodeStartMs,
  type ColdStartRequest,
  type ColdStartResult,
} from './sections/cold-start';
import { ioPerRequest, type IoResult } from './sections/io-per-request';
import { memoryGrowth } from './sections/memory';
import { formatScrubReport, scrubBench, type ScrubBenchResult } from './sections/scrub';
import {
  spannerReport,
  spannerRoundTrips,
  type SpannerRoundTripsResult,
} from './sections/spanner-round-trips';
import { checkTotals, throughput, type ThroughputResult } from './sections/throughput';
import { listenerPid, processGroupCpuMs, threadSplitCpuMs } from './process-cpu';
import { warmOverhead } from './sections/warm-overhead';
import { warmWorkers, type WarmWave } from './warm-workers';
import { median, round } from './stats';

/** One measured autocannon run of section 4, in its round. */
type ThroughputRun = ThroughputResult & {
  round: number;
  /** Requests completed / the run's length (a 3-4 s run has too few per-second samples). */
  requestsPerSecond: number;
  cpuMsPerRequest: number;
  /** Of cpuMsPerRequest: serverless offline's main thread (HTTP server, worker messages). */
  mainThreadCpuMsPerRequest: number;
  /** Of cpuMsPerRequest: its other threads (the function's workers, V8 and libuv helpers). */
  workerThreadsCpuMsPerRequest: number;
  /**
   * Not in cpuMsPerRequest: the benchmark's own process, which runs the stand-ins (echo, the
   * Google stand-in) and waits for autocannon: what a request cost the backends it called.
   */
  standInsCpuMsPerRequest: number;
};

/**
 * `npm run bench`: what the gateway costs on top of the call it protects. Brings up the
 * offline stack on its own ports (offset 10000, below Linux's ephemeral range), measures,
 * stops it. Never part of `npm test`.
 */
const durationSeconds = Number(process.env.BENCH_DURATION_SECONDS ?? 15);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);
// BENCH_SECTIONS=1,4 runs only those sections (the summary then lacks the others' keys).
const sections = new Set(
  (process.env.BENCH_SECTIONS ?? '1,2,3,4,5,6,7,8,9').split(',').map((n) => Number(n.trim())),
);
// Connections of the throughput runs, the same for every route (issue 16: /run vs /me).
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
// Section 4's interleaved rounds; BENCH_DURATION_SECONDS is split among them (5 s at least).
const throughputRounds = Number(process.env.BENCH_THROUGHPUT_ROUNDS ?? 3);
const benchStarted = performance.now();
const ports = resolvePorts({
  ...process.env,
  CROSSGATE_PORT_OFFSET: process.env.CROSSGATE_PORT_OFFSET ?? '10000',
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
const failures: Record<string, string> = {};
const sectionSeconds: Record<string, number> = {};
results.sectionSeconds = sectionSeconds;
results.failures = failures;
/** Runs one section; a failure is recorded and printed loudly, and the others still run. */
async function section(number: number, title: string, run: () => Promise<void>): Promise<void> {
  if (!sections.has(number)) return;
  console.log(`${number}. ${title}...`);
  const started = performance.now();
  try {
    await run();
  } catch (error) {
    failures[String(number)] = error instanceof Error ? error.message : String(error);
    console.error(`\n!!! section ${number} FAILED: ${failures[String(number)]}\n`);
  }
  sectionSeconds[String(number)] = round((performance.now() - started) / 1000, 0);
}
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

  const bob = { authorization: `Bearer ${await tokenFor(stack.state, 'bob')}` };

  await section(
    4,
    `throughput through serverless offline (${durationSeconds} s each, ${connections} connections)`,
    async () => {
      const gateway = stack.state.gatewayUrl!;
      const gatewayPid = listenerPid(Number(new URL(gateway).port));
      const targets = [
        { name: 'GET /bare', url: `${gateway}/bare` },
        { name: 'GET /me', url: `${gateway}/me`, headers: bob },
        { name: 'GET /run/echo/hello', url: `${gateway}/run/echo/hello`, headers: bob },
        // The baseline for /run (bench/bare/upstream-handler.ts): one GET to echo, no gateway.
        { name: 'GET /bare-upstream', url: `${gateway}/bare-upstream` },
      ];
      // Every worker of every route exists and is idle before any run counts: waves of
      // concurrent requests, each answer awaited (why: bench/warm-workers.ts). Then a short
      // load run warms the JIT in every worker, and a last wave waits until none is busy.
      const warmUp: Record<string, WarmWave[]> = {};
      const jitSeconds = Number(process.env.BENCH_RAMP_STEP_SECONDS ?? 4);
      for (const target of targets) {
        warmUp[target.name] = await warmWorkers(target, { connections });
        // Not a figure: the last wave checks that every worker still answers.
        await throughput({ ...target, name: `${target.name} warm-up` }, jitSeconds, connections);
        warmUp[target.name]!.push(
          ...(await warmWorkers(target, { connections, step: connections })),
        );
        console.log(
          `   ${target.name} warm: ${warmUp[target.name]!.map((wave) => `${wave.size}${wave.failed ? ` (${wave.failed} failed)` : ''} ${wave.slowestMs} ms`).join(', ')}`,
        );
      }
      // Interleaved rounds (bare, me, run, bare, me, run, ...), as in section 1: the machine
      // is shared, and its load drifts within seconds; one long run per route put that drift
      // between the routes (two runs of the same code, minutes apart: CPU per /run / per /me
      // 2.21x and 2.05x, /run / /me throughput 0.32x and 1.06x). Each figure is the median
      // of the per-round ratios. A route's next run comes two runs later, so the requests
      // autocannon abandons at the end of a run are over before it.
      const roundSeconds = Math.max(5, Math.round(durationSeconds / throughputRounds));
      const runs: ThroughputRun[] = [];
      for (let roundNumber = 1; roundNumber <= throughputRounds; roundNumber += 1) {
        for (const target of targets) {
          const cpuBefore = processGroupCpuMs(gatewayPid);
          const threadsBefore = threadSplitCpuMs(gatewayPid);
          const standInsBefore = process.cpuUsage();
          const result = checkTotals(await throughput(target, roundSeconds, connections));
          const standIns = process.cpuUsage(standInsBefore);
          const threads = threadSplitCpuMs(gatewayPid);
          const cpuMs = processGroupCpuMs(gatewayPid) - cpuBefore;
          const perRequest = (ms: number) => round(ms / result.requestsTotal, 3);
          runs.push({
            ...result,
            round: roundNumber,
            requestsPerSecond: round(result.requestsTotal / roundSeconds, 0),
            cpuMsPerRequest: perRequest(cpuMs),
            mainThreadCpuMsPerRequest: perRequest(threads.mainThread - threadsBefore.mainThread),
            workerThreadsCpuMsPerRequest: perRequest(
              threads.otherThreads - threadsBefore.otherThreads,
            ),
            standInsCpuMsPerRequest: perRequest((standIns.user + standIns.system) / 1000),
          });
        }
      }
      const of = (name: string) => runs.filter((run) => run.name === name);
      const perRound = (a: string, b: string, value: (run: ThroughputRun) => number) =>
        round(
          median(of(a).map((run, index) => value(run) / value(of(b)[index] as ThroughputRun))),
          2,
        );
      const [bare, me, run, bareUpstream] = targets.map((target) => target.name) as [
        string,
        string,
        string,
        string,
      ];
      // Per round, the least CPU a /run can cost in serverless offline: /me's chain over /bare
      // (verification, policy, audit), plus one GET to echo as /bare-upstream makes it, with
      // no forwarder work at all (no headers, echo's short 401).
      const runCpuFloors = of(me).map(
        (meRun, index) =>
          of(bareUpstream)[index]!.cpuMsPerRequest +
          meRun.cpuMsPerRequest -
          of(bare)[index]!.cpuMsPerRequest,
      );
      results.throughput = {
        runs,
        warmUp,
        rounds: throughputRounds,
        roundSeconds,
        meToBare: perRound(me, bare, (r) => r.requestsPerSecond),
        runToBare: perRound(run, bare, (r) => r.requestsPerSecond),
        runToMe: perRound(run, me, (r) => r.requestsPerSecond),
        runCpuToMe: perRound(run, me, (r) => r.cpuMsPerRequest),
        // Not targets: what a request that waits for one GET costs in serverless offline,
        // without a gateway, against one that does not; and /run against that baseline.
        bareUpstreamCpuToBare: perRound(bareUpstream, bare, (r) => r.cpuMsPerRequest),
        runCpuToBareUpstream: perRound(run, bareUpstream, (r) => r.cpuMsPerRequest),
        meCpuToBare: perRound(me, bare, (r) => r.cpuMsPerRequest),
        // The least /run can cost here against /me (runCpuFloors, above); against the
        // target of 1.5x, a /run at this floor would just meet it.
        runCpuFloorToMe: round(
          median(runCpuFloors.map((floor, index) => floor / of(me)[index]!.cpuMsPerRequest)),
          2,
        ),
        // An estimate, not a measurement: /run's throughput against /me's if its CPU were at
        // that floor, with the stand-ins' CPU of /run as measured (echo checks the Google ID
        // token and the assertion on the same two cores), taking throughput as inversely
        // proportional to the CPU of both processes (autocannon's own not counted).
        runThroughputCeilingToMe: round(
          median(
            runCpuFloors.map((floor, index) => {
              const meRun = of(me)[index]!;
              return (
                (meRun.cpuMsPerRequest + meRun.standInsCpuMsPerRequest) /
                (floor + of(run)[index]!.standInsCpuMsPerRequest)
              );
            }),
          ),
          2,
        ),
        // Where each route's CPU goes (medians over the rounds, ms per request).
        cpuSplit: Object.fromEntries(
          targets.map(({ name }) => [
            name,
            {
              mainThread: round(median(of(name).map((r) => r.mainThreadCpuMsPerRequest)), 3),
              workers: round(median(of(name).map((r) => r.workerThreadsCpuMsPerRequest)), 3),
              standIns: round(median(of(name).map((r) => r.standInsCpuMsPerRequest)), 3),
            },
          ]),
        ),
      };
    },
  );

  await section(1, `warm overhead in process (${iterations} iterations per subject)`, async () => {
    results.warmOverhead = await warmOverhead(stack.state, config, iterations);
  });

  const bearer = async (name: string) => ({
    authorization: `Bearer ${await tokenFor(stack.state, name)}`,
  });
  const coldRequests: Record<string, () => Promise<ColdStartRequest>> = {
    health: async () => ({ routeKey: 'GET /health', path: '/health' }),
    me: async () => ({ routeKey: 'GET /me', path: '/me', headers: await bearer('bob') }),
    gerrit: async () => ({
      routeKey: 'ANY /gerrit/a/{proxy+}',
      path: '/gerrit/a/changes/',
      method: 'GET',
      pathParameters: { proxy: 'changes/' },
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
  await section(
    2,
    'cold start per packaged function (osls package, then a fresh process each)',
    async () => {
      // Node's own start, before and after the functions, so that it shares their conditions.
      const before = await nodeStartMs();
      results.coldStart = await coldStarts(stack.state, coldRequests);
      results.nodeStartMs = round((before + (await nodeStartMs())) / 2);
    },
  );

  await section(3, 'backend I/O: 50 concurrent cold requests, then 1,000 warm ones', async () => {
    results.io = await ioPerRequest(stack.state, config);
  });

  await section(5, 'memory after 1,000 and 10,000 warm requests', async () => {
    results.memory = await memoryGrowth(stack.state, config);
  });

  await section(6, 'Spanner round trips per warm request, and per-read latency', async () => {
    const emulator = stack.state.spanner as SpannerStackState | undefined;
    if (!emulator) throw new Error('the stack has no Spanner emulator');
    results.spannerRoundTrips = await spannerRoundTrips(emulator);
  });

  await section(7, "secret scrubbing on this repository's history (git log -p)", async () => {
    results.scrub = await scrubBench();
  });

  await section(
    9,
    'the caller assertion: signatures per returning caller, reuse and signing cost',
    async () => {
      results.assertionSigning = await assertionSigning(iterations);
    },
  );
} finally {
  await stack.stop();
}

// Section 8's concurrency: BENCH_COLD_BURST, else the section's own default (10 per core).
const coldBurstOptions = process.env.BENCH_COLD_BURST
  ? { concurrency: Number(process.env.BENCH_COLD_BURST) }
  : {};

// After the bench stack is down, so that nothing else competes: each run starts its own stack.
await section(
  8,
  `cold burst: ${coldBurstConcurrency(coldBurstOptions)} concurrent first requests on a fresh stack, without/with embedded JWKS`,
  async () => {
    results.coldBurst = await coldBurst(coldBurstOptions);
  },
);

results.durationSeconds = round((performance.now() - benchStarted) / 1000, 0);
results.loadAverage = loadavg().map((value) => round(value, 2));
const summary = summarise(results);
results.summary = summary;
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
printReport(results);
const missing = Object.entries(summary).filter(([, value]) => typeof value !== 'number');
if (missing.length > 0 || Object.keys(failures).length > 0) {
  console.error(
    `\n!!! bench incomplete: summary lacks ${missing.map(([key]) => key).join(', ') || 'nothing'}; failed sections: ${JSON.stringify(failures)}`,
  );
  process.exitCode = 1;
}

/**
 * The figures of issue 16's targets, each a ratio or a count from this one run. A figure
 * whose section did not run or failed is null (and the run exits non-zero).
 */
function summarise(all: Record<string, unknown>): Record<string, number | null> {
  const warm = all.warmOverhead as Awaited<ReturnType<typeof warmOverhead>> | undefined;
  const cold = all.coldStart as ColdStartResult[] | undefined;
  const nodeMs = all.nodeStartMs as number | undefined;
  const io = all.io as IoResult[] | undefined;
  const spanner = all.spannerRoundTrips as SpannerRoundTripsResult | undefined;
  const tp = all.throughput as { runToMe: number; runCpuToMe: number } | undefined;
  const load = (name: string) => cold?.find((c) => c.function === name)?.loadMedianMs;
  const ratio = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && b > 0 ? round(a / b, 2) : null;
  // A function that answered anything but 200 was not measured: no figure for it.
  const trips = (name: string) => {
    const result = io?.find((r) => r.function === name);
    const only200 = result && Object.keys(result.statuses).every((status) => status === '200');
    return only200 ? result.roundTripsPerWarmRequest : null;
  };
  return {
    cacheHitToRs256: warm?.ratioToRs256 ?? null,
    cacheHitToPeer: warm?.ratioToPeer ?? null,
    freshTokenToPeer: warm?.freshRatioToPeer ?? null,
    coldMeToNode: ratio(load('me'), nodeMs),
    coldRunToNode: ratio(load('run'), nodeMs),
    spannerToSdk: cold?.find((c) => c.function === 'spanner')?.ratioToSdk ?? null,
    roundTripsRun: trips('run'),
    roundTripsSpannerRead: spanner?.roundTripsRead ?? null,
    roundTripsSpannerWrite: spanner?.roundTripsWrite ?? null,
    roundTripsGerrit: trips('gerrit'),
    runCpuToMe: tp?.runCpuToMe ?? null,
    runToMeThroughput: tp?.runToMe ?? null,
  };
}

function printReport(all: Record<string, unknown>): void {
  const warm = all.warmOverhead as Awaited<ReturnType<typeof warmOverhead>> | undefined;
  const memory = all.memory as Awaited<ReturnType<typeof memoryGrowth>> | undefined;
  const tp = all.throughput as
    | {
        runs: ThroughputRun[];
        rounds: number;
        roundSeconds: number;
        meToBare: number;
        bareUpstreamCpuToBare: number;
        meCpuToBare: number;
        runCpuToBareUpstream: number;
        runCpuFloorToMe: number;
        runThroughputCeilingToMe: number;
        runToBare: number;
        runToMe: number;
        runCpuToMe: number;
        cpuSplit: Record<string, { mainThread: number; workers: number; standIns: number }>;
      }
    | undefined;
  const io = all.io as IoResult[] | undefined;
  const cold = all.coldStart as ColdStartResult[] | undefined;
  const nodeMs = all.nodeStartMs as number | undefined;
  const kb = (bytes: number) => `${round(bytes / 1024, 0)} KB`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const blocks: string[] = [
    `crossgate benchmark  ${all.date}  node ${all.node}  ${all.cpu} x${all.cpuCount}  load ${JSON.stringify(all.loadAverage)}  ${all.durationSeconds} s`,
  ];
  if (warm)
    blocks.push(`1. Warm overhead per request, in process (median / p99, µs)
   gateway, same token (cache hit)  ${warm.gatewayMedianUs} / ${warm.gatewayP99Us}
   peer chain, same token           ${warm.peerMedianUs} / ${warm.peerP99Us}
   gateway, fresh token each        ${warm.gatewayFreshMedianUs} / ${warm.gatewayFreshP99Us}   (${warm.freshTokens} tokens, after ${warm.freshWarmUpTokens} warm-up tokens)
   peer chain, fresh token each     ${warm.peerFreshMedianUs} / ${warm.peerFreshP99Us}
   bare handler, same body          ${warm.bareMedianUs} / ${warm.bareP99Us}
   one RS256 verify (node:crypto)   ${warm.rs256MedianUs} / ${warm.rs256P99Us}
   cache hit / RS256 ${warm.ratioToRs256}x (target <= 0.5x: ${verdict(warm.ratioToRs256 <= 0.5)})
   cache hit / peer  ${warm.ratioToPeer}x (target <= 0.3x: ${verdict(warm.ratioToPeer <= 0.3)})
   fresh / peer      ${warm.freshRatioToPeer}x (target <= 0.9x: ${verdict(warm.freshRatioToPeer <= 0.9)})
   JWKS fetches over ${warm.iterations} requests: ${warm.jwksFetches}`);
  if (cold)
    blocks.push(`2. Cold start per packaged function (median of 5 fresh processes; node -e 0: ${nodeMs} ms)
${cold
  .map(
    (c) =>
      `   ${c.function.padEnd(8)} load ${String(c.loadMedianMs).padStart(6)} ms (${nodeMs ? round(c.loadMedianMs / nodeMs, 2) : '?'}x node)   first request ${String(c.firstInvokeMedianMs).padStart(6)} ms (${c.status})   bundle ${kb(c.bundleBytes)} (gzip ${kb(c.bundleGzipBytes)}), zip ${kb(c.zipBytes)}` +
      (c.function === 'spanner'
        ? `\n            SDK alone ${c.sdkLoadMedianMs} ms, ratio ${c.ratioToSdk}x   target <= 1.2x: ${verdict((c.ratioToSdk ?? 99) <= 1.2)}`
        : ''),
  )
  .join('\n')}`);
  if (io)
    blocks.push(`3. Backend I/O per request (one fresh container per function)
   function   cold x50: SM / mints / sessions / JWKS / backend    warm x1000: SM / mints / sessions / JWKS / backend   round trips per warm request
${io
  .map(
    (r) =>
      `   ${r.function.padEnd(9)}  ${[r.cold50.secretsManagerCalls, r.cold50.googleTokenMints, r.cold50.spannerSessionsCreated, r.cold50.jwksFetches, r.cold50.backendRequests].join(' / ').padEnd(46)}  ${[r.warm1000.secretsManagerCalls, r.warm1000.googleTokenMints, r.warm1000.spannerSessionsCreated, r.warm1000.jwksFetches, r.warm1000.backendRequests].join(' / ').padEnd(46)}  ${r.roundTripsPerWarmRequest}   (statuses ${JSON.stringify(r.statuses)})`,
  )
  .join('\n')}
   credential I/O 0 per warm request: ${verdict(io.every((r) => r.warmPerRequest === 0))}`);
  if (tp)
    blocks.push(`4. Throughput through serverless offline, ${tp.runs[0]?.connections} connections, ${tp.rounds} interleaved rounds of ${tp.roundSeconds} s (requests/s, latency p50 / p99 ms, gateway CPU per request)
${tp.runs.map((run) => `   ${run.round} ${run.name.padEnd(22)} ${String(run.requestsPerSecond).padStart(6)} req/s   ${run.latencyMedianMs} / ${run.latencyP99Ms} ms   ${run.cpuMsPerRequest} CPU-ms (main thread ${run.mainThreadCpuMsPerRequest}, workers ${run.workerThreadsCpuMsPerRequest}; stand-ins ${run.standInsCpuMsPerRequest})   ${run.requestsTotal} requests, 0 errors/timeouts/non-2xx`).join('\n')}
   medians of the per-round ratios:
   /me to bare: ${tp.meToBare}x   /run to /me: ${tp.runToMe}x (target >= 0.7x: ${verdict(tp.runToMe >= 0.7)})
   CPU per /run / per /me: ${tp.runCpuToMe}x (target <= 1.5x: ${verdict(tp.runCpuToMe <= 1.5)})
   baselines, CPU per request: /bare-upstream (one GET, no gateway) / /bare ${tp.bareUpstreamCpuToBare}x   /me / /bare ${tp.meCpuToBare}x   /run / /bare-upstream ${tp.runCpuToBareUpstream}x
   floor of CPU per /run / per /me (/me's chain plus one bare GET, no forwarder work): ${tp.runCpuFloorToMe}x; estimated throughput /run / /me at that floor, echo as it is: ${tp.runThroughputCeilingToMe}x
   CPU-ms per request, medians (serverless offline's main thread / its workers; the stand-ins, not counted above):
${Object.entries(tp.cpuSplit)
  .map(
    ([name, split]) =>
      `   ${name.padEnd(22)} ${split.mainThread} / ${split.workers}; ${split.standIns}`,
  )
  .join('\n')}`);
  if (memory)
    blocks.push(`5. Memory (one container, warm /me)
   after 1,000: RSS ${memory.rssAfter1kMb} MB, heap ${memory.heapAfter1kMb} MB
   after 10,000: RSS ${memory.rssAfter10kMb} MB, heap ${memory.heapAfter10kMb} MB   heap growth ${memory.heapGrowthMb} MB`);
  if (all.scrub) blocks.push(formatScrubReport(all.scrub as ScrubBenchResult));
  if (all.spannerRoundTrips)
    blocks.push(spannerReport(all.spannerRoundTrips as SpannerRoundTripsResult));
  if (all.coldBurst) {
    blocks.push(
      `8. Cold burst (GET /me, concurrent first requests, a fresh offline stack per line)\n${formatColdBurst(all.coldBurst as Awaited<ReturnType<typeof coldBurst>>)}`,
    );
  }
  if (all.assertionSigning) {
    const signing = all.assertionSigning as AssertionSigningResult;
    blocks.push(
      `9. Caller assertion: ${signing.returningCallerSignatures} signature(s) for ${signing.iterations} requests of a returning caller; reuse ${signing.reuseMedianUs} µs median, a fresh ES256 signature ${signing.signMedianUs} µs median`,
    );
  }
  blocks.push(`summary ${JSON.stringify(all.summary)}`);
  blocks.push('Results: bench/results/latest.json');
  console.log(`\n${blocks.join('\n\n')}`);
}
