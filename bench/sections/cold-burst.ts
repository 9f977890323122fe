import { cpus } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolvePorts } from '../../local/ports';
import { startStack } from '../../local/stack';
import { localServices } from '../../local/services/index';
import { createServerlessOfflineService } from '../../local/services/serverless-offline';
import type { LocalService } from '../../local/services/types';
import { tokenFor } from '../../local/tokens';
import { fetchEmbeddedJwks } from '../../shared/auth/embedded-jwks-fetch';
import { containerCoreConfig } from '../../shared/config/compiled-document';

import { startFaultProxy, type FaultProxy } from '../../tests/helpers/fault-proxy';
import { median, round } from '../stats';

export interface ColdBurstRun {
  embedded: boolean;
  requests: number;
  /** 200 answers with a principal: verified and served on the container's first call. */
  ok: number;
  /**
   * Outcome -> count: the HTTP status; `offline:<errorType>` when serverless offline answered
   * for a Lambda that failed or timed out (it does so with HTTP 200 and its own JSON); `error`
   * when the client gave up or the connection failed.
   */
  statuses: Record<string, number>;
  latencyMedianMs: number;
  latencyMaxMs: number;
  /** The issuers whose keys the functions started with (empty: fetched on first use). */
  embeddedIssuers: string[];
  /** Connections the functions opened to the issuers' JWKS endpoints during the burst. */
  jwksConnections: number;
}

export interface ColdBurstOptions {
  /** Concurrent first requests; each makes serverless offline start a worker (a container). */
  concurrency?: number;
  /** Added to CROSSGATE_PORT_OFFSET for the fresh stacks (each run starts and stops one). */
  portShift?: number;
  /** The client gives up after this long (API Gateway's own limit is 30 s). */
  requestTimeoutMs?: number;
}

/**
 * Concurrent first requests: 10 per core, 50 at most. Each starts a serverless offline worker
 * that loads the TypeScript sources through tsx, ~0.4 s of CPU for me (10 workers at once:
 * 3.8-4.8 s), against the 30-43 ms bundle import Lambda runs on a CPU of its own. On 2 cores,
 * 50 of them need ~20 s of CPU and pass the function's 10 s timeout, which says nothing about
 * the JWKS fetches this section is for (BENCHMARKS.md, "Section 8").
 */
const defaultConcurrency = Math.min(50, 10 * cpus().length);

const defaults = {
  concurrency: defaultConcurrency,
  portShift: 1800,
  requestTimeoutMs: 29_000,
};

/** The module the functions load their embedded keys from (empty in the repository). */
const embeddedFile = fileURLToPath(
  new URL('../../shared/auth/embedded-jwks.json', import.meta.url),
);

/**
 * Writes the fresh stack's JWKS where the offline functions load embedded keys, just before
 * serverless offline starts: what the package-time plugin does for an artifact (the offline
 * stack runs the TypeScript sources, so the bundling step itself is not exercised here; the
 * package test covers it).
 */
function embedService(embeddedIssuers: string[]): LocalService {
  return {
    name: 'embed-jwks',
    async start({ lambdaEnv }) {
      const config = containerCoreConfig({ ...process.env, ...lambdaEnv });
      const { document, skipped } = await fetchEmbeddedJwks(config);
      if (skipped.length > 0) throw new Error(`embedding skipped ${JSON.stringify(skipped)}`);
      writeFileSync(embeddedFile, `${JSON.stringify(document)}\n`);
      embeddedIssuers.push(...Object.keys(document.issuers));
      return { summary: [`embedded JWKS for ${embeddedIssuers.join(', ')}`], stop: async () => {} };
    },
  };
}

/**
 * Puts a counting TCP proxy in front of each issuer's JWKS endpoint (Cognito's in moto, the
 * OIDC provider's): connections during the burst are the JWKS fetches the functions made.
 */
function jwksCounterService(proxies: FaultProxy[]): LocalService {
  return {
    name: 'jwks-counters',
    async start({ lambdaEnv }) {
      for (const name of ['CROSSGATE_COGNITO_JWKS_URI', 'CROSSGATE_OIDC_JWKS_URI']) {
        const uri = new URL(lambdaEnv[name] ?? '');
        const proxy = await startFaultProxy({ host: uri.hostname, port: Number(uri.port) });
        proxies.push(proxy);
        lambdaEnv[name] = `${proxy.url}${uri.pathname}`;
      }
      return {
        summary: ['JWKS counting proxies'],
        stop: async () => {
          await Promise.all(proxies.map((proxy) => proxy.close()));
        },
      };
    },
  };
}

function classify(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { errorType?: unknown; principal?: unknown };
    if (typeof body.errorType === 'string') return `offline:${body.errorType}`;
    if (status === 200 && !body.principal) return '200-without-principal';
  } catch {
    return `${status}-not-json`;
  }
  return String(status);
}

async function burst(embedded: boolean, options: typeof defaults): Promise<ColdBurstRun> {
  // Below Linux's ephemeral range (32768 and up) by default: a stack on 30000 + 1800 once found
  // its echo port (36230) taken, by a client socket of the run before.
  const base = Number(process.env.CROSSGATE_PORT_OFFSET ?? 20000);
  const ports = resolvePorts({ CROSSGATE_PORT_OFFSET: String(base + options.portShift) });
  const embeddedIssuers: string[] = [];
  const proxies: FaultProxy[] = [];
  // The benchmark's serverless offline (serverless.bench.yml, no edge authorizer), as in
  // section 4: this measures the function's cold start. With the edge authorizer, 50 concurrent
  // first requests also start 50 authorizer workers on the same two cores, and serverless
  // offline answers 401 for each one that passes its 10 s timeout (the edge has its own
  // measure, bench/edge-authorizer.ts).
  const services = [
    ...localServices.filter((service) => service.name !== 'serverless-offline'),
    createServerlessOfflineService({ configFile: 'serverless.bench.yml' }),
  ];
  services.splice(
    services.length - 1,
    0,
    jwksCounterService(proxies),
    ...(embedded ? [embedService(embeddedIssuers)] : []),
  );
  const original = readFileSync(embeddedFile, 'utf8');
  const stack = await startStack({
    ports,
    services,
    stateFile: `.local/stack-cold-burst-${ports.gateway}.json`,
  });
  try {
    // Two issuers, alternating: Cognito (moto) for bob, the OIDC provider for ci-bot.
    const bearers = [await tokenFor(stack.state, 'bob'), await tokenFor(stack.state, 'ci-bot')];
    for (const proxy of proxies) proxy.resetCount();
    const statuses: Record<string, number> = {};
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: options.concurrency }, async (_, index) => {
        const started = performance.now();
        let status = 'error';
        try {
          const response = await fetch(`${stack.state.gatewayUrl}/me`, {
            headers: { authorization: `Bearer ${bearers[index % bearers.length]}` },
            signal: AbortSignal.timeout(options.requestTimeoutMs),
          });
          status = classify(response.status, await response.text());
        } catch {
          // Counted as `error`: the client gave up or the connection failed.
        }
        latencies.push(performance.now() - started);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    );
    return {
      embedded,
      requests: options.concurrency,
      ok: statuses['200'] ?? 0,
      statuses,
      latencyMedianMs: round(median(latencies), 0),
      latencyMaxMs: round(Math.max(...latencies), 0),
      embeddedIssuers,
      jwksConnections: proxies.reduce((sum, proxy) => sum + proxy.connections(), 0),
    };
  } finally {
    await stack.stop();
    writeFileSync(embeddedFile, original);
  }
}

/** How many concurrent first requests `coldBurst` sends with these options. */
export function coldBurstConcurrency(opts: ColdBurstOptions = {}): number {
  return opts.concurrency ?? defaults.concurrency;
}

/**
 * Cold burst: `concurrency` concurrent first requests (GET /me) on a fresh offline stack, once
 * with JWKS fetched on first use and once with the keys embedded. Issue 15 measured 22 x 503 of
 * 50 on 2 cores before (JWKS fetches timing out at 3 s). Each run starts its own stack.
 */
export async function coldBurst(
  opts: ColdBurstOptions = {},
): Promise<{ before: ColdBurstRun; after: ColdBurstRun }> {
  const options = { ...defaults, ...opts };
  const before = await burst(false, options);
  const after = await burst(true, options);
  return { before, after };
}

export function formatColdBurst({ before, after }: { before: ColdBurstRun; after: ColdBurstRun }) {
  const line = (run: ColdBurstRun) =>
    `   ${(run.embedded ? 'embedded JWKS' : 'JWKS on first use').padEnd(18)} ${run.ok}/${run.requests} ok   statuses ${JSON.stringify(run.statuses)}   latency median ${run.latencyMedianMs} ms, max ${run.latencyMaxMs} ms   JWKS connections ${run.jwksConnections}`;
  return `${line(before)}\n${line(after)}`;
}
