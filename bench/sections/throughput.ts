import autocannon from 'autocannon';
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

/** autocannon against one URL on loopback: bounded by duration and connection count. */
export async function throughput(
  target: ThroughputTarget,
  durationSeconds: number,
  connections = 32,
): Promise<ThroughputResult> {
  const result = await autocannon({
    url: target.url,
    connections,
    duration: durationSeconds,
    ...(target.headers ? { headers: target.headers } : {}),
  });
  return {
    name: target.name,
    requestsPerSecondMedian: round(result.requests.p50, 0),
    latencyMedianMs: round(result.latency.p50, 1),
    latencyP99Ms: round(result.latency.p99, 1),
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
