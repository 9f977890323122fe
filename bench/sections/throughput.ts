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
  requestsPerSecondMedian: number;
  latencyMedianMs: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
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
  const args = [
    autocannonBin,
    '-c',
    String(connections),
    '-d',
    String(durationSeconds),
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
          requests: { p50: number };
          latency: { p50: number; p99: number };
          non2xx: number;
          errors: number;
        };
        resolve({
          name: target.name,
          requestsPerSecondMedian: round(result.requests.p50, 0),
          latencyMedianMs: round(result.latency.p50, 1),
          latencyP99Ms: round(result.latency.p99, 1),
          non2xx: result.non2xx,
          errors: result.errors,
        });
      },
    );
  });
}
