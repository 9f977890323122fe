import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round } from '../stats';

export interface ThroughputTarget {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

export interface ThroughputResult {
  name: string;
  connections: number;
  durationSeconds: number;
  requestsPerSecondMedian: number;
  /** Requests completed over the whole run (autocannon's total). */
  requestsTotal: number;
  latencyMedianMs: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** A throughput run whose totals do not add up: reported as a failure, never as a figure. */
export class ThroughputCheckError extends Error {}

/**
 * Fails loudly when a run cannot be trusted: no request completed, any error or timeout, any
 * non-2xx answer, or a median per-second count of 0 (a run against cold workers once printed
 * 0 req/s as its result).
 */
export function checkTotals(result: ThroughputResult): ThroughputResult {
  const problems = [
    result.requestsTotal === 0 ? 'no request completed' : '',
    result.errors > 0 ? `${result.errors} connection errors` : '',
    result.timeouts > 0 ? `${result.timeouts} timeouts` : '',
    result.non2xx > 0 ? `${result.non2xx} non-2xx answers` : '',
    result.requestsPerSecondMedian === 0 ? 'a median of 0 requests/s' : '',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new ThroughputCheckError(
      `${result.name} (${result.connections} connections, ${result.durationSeconds} s): ${problems.join(', ')} of ${result.requestsTotal} requests`,
    );
  }
  return result;
}

const autocannonBin = fileURLToPath(
  new URL('../../node_modules/autocannon/autocannon.js', import.meta.url),
);

/**
 * autocannon against one URL on loopback, from its own process so that the benchmark's other
 * sections (clients, timers, garbage) cannot slow the load generator. Bounded by duration.
 */
export function throughput(
  target: ThroughputTarget,
  durationSeconds: number,
  connections = 32,
): Promise<ThroughputResult> {
  const headerArgs = Object.entries(target.headers ?? {}).flatMap(([name, value]) => [
    '-H',
    `${name}=${value}`,
  ]);
  // autocannon counts a request as a timeout only after `-t` (10 s by default): in a shorter
  // run a request that never comes back was counted as nothing at all (0 requests, 0 errors,
  // 0 timeouts). One second under the run's length makes a stuck request visible; half of a
  // 4 s run (2 s) failed a healthy /run at 32 connections on a loaded machine.
  const timeoutSeconds = Math.max(1, Math.min(10, durationSeconds - 1));
  const args = [
    autocannonBin,
    '-c',
    String(connections),
    '-d',
    String(durationSeconds),
    '-t',
    String(timeoutSeconds),
    '-j',
    ...headerArgs,
    target.url,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { timeout: (durationSeconds + 30) * 1000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error) {
          reject(error);
          return;
        }
        const result = JSON.parse(stdout) as {
          requests: { p50: number; total: number };
          latency: { p50: number; p99: number };
          non2xx: number;
          errors: number;
          timeouts: number;
        };
        resolve({
          name: target.name,
          connections,
          durationSeconds,
          requestsPerSecondMedian: round(result.requests.p50, 0),
          requestsTotal: result.requests.total,
          latencyMedianMs: round(result.latency.p50, 1),
          latencyP99Ms: round(result.latency.p99, 1),
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
  });
}
