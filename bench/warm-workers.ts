/**
 * Warms serverless offline's workers for one route before a throughput run.
 *
 * Why waves, and why waiting for every answer (issue 16: "/run: workers not warm after 8
 * tries, last: 0 requests, 0 errors, 0 timeouts"). serverless offline gives a request an idle
 * worker of its function, or starts a new one (a cold container: tsx compiles and imports the
 * handler in that worker). The import counts against the function's timeout (run: 15 s), and
 * a worker that times out is terminated, so its next request starts cold again. On 2 shared
 * cores, 22 concurrent cold `run` workers did not finish in 15 s, and were all killed: a
 * livelock. autocannon made it worse: a run that ends abandons its in-flight requests, whose
 * workers stay busy, so the next run's connections start new cold workers; and a run shorter
 * than autocannon's request timeout (10 s) can count no timeout, so every request still
 * waiting at the end shows as nothing at all: 0 requests, 0 errors, 0 timeouts.
 *
 * Here each wave sends concurrent requests and waits for every answer (bounded by the
 * function's timeout), so that no worker is left busy, and waves grow by `step`: few enough
 * cold starts at once to finish within the function's timeout.
 */

export interface WarmTarget {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

export interface WarmOptions {
  /** Concurrent requests of the last wave: the throughput run's connections. */
  connections: number;
  /** New workers per wave at most (cold starts at once). */
  step?: number;
  /** Bound of one request: the function's timeout plus serverless offline's own time. */
  requestTimeoutMs?: number;
  /** Failed waves (any answer not a 200 of the function) before the warm-up fails. */
  maxFailedWaves?: number;
}

export interface WarmWave {
  size: number;
  /** Answers that were not the function's 200 (a killed worker, an error, no answer). */
  failed: number;
  /** Slowest answer of the wave, ms. */
  slowestMs: number;
}

/** A wave that never came back whole: the section fails with what was seen. */
export class WarmUpError extends Error {}

const defaults = {
  step: 4,
  // run's timeout is 15 s, the longest of the routes measured.
  requestTimeoutMs: 20_000,
  maxFailedWaves: 4,
};

/**
 * One request's verdict. serverless offline answers a Lambda timeout or crash with HTTP 200
 * and its own JSON (`errorType`, `errorMessage`), so the status alone would count a killed
 * worker as warm.
 */
async function answer(
  target: WarmTarget,
  timeoutMs: number,
): Promise<{ failure?: string; ms: number }> {
  const started = performance.now();
  const failed = (failure: string) => ({ failure, ms: performance.now() - started });
  try {
    const response = await fetch(target.url, {
      headers: target.headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    if (response.status !== 200) return failed(`HTTP ${response.status}`);
    if (body.startsWith('{"errorMessage"')) {
      const message = /"errorMessage":"([^"]*)"/.exec(body)?.[1] ?? 'unknown';
      return failed(`serverless offline: ${message}`);
    }
    return { ms: performance.now() - started };
  } catch (error) {
    return failed(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}

/**
 * Waves of `step`, 2 × `step` ... `connections` concurrent requests, every answer awaited, then
 * `connections` once more. A wave's requests do not all reach serverless offline at once (its
 * main thread serialises them), so a wave may start more cold workers than `step`; when one is
 * killed at the function's timeout, its worker is cold again, and the climb restarts from
 * `step`, which meets at most that many cold workers at once. Bounded: `maxFailedWaves`.
 */
export async function warmWorkers(target: WarmTarget, options: WarmOptions): Promise<WarmWave[]> {
  const { step, requestTimeoutMs, maxFailedWaves } = { ...defaults, ...options };
  const sizes: number[] = [];
  for (let size = Math.min(step, options.connections); ; size += step) {
    sizes.push(Math.min(size, options.connections));
    if (size >= options.connections) break;
  }
  // The last size twice: the second wave finds every worker idle and must start none.
  sizes.push(options.connections);
  const waves: WarmWave[] = [];
  let failedWaves = 0;
  for (let index = 0; index < sizes.length; index += 1) {
    const size = sizes[index]!;
    const verdicts = await Promise.all(
      Array.from({ length: size }, () => answer(target, requestTimeoutMs)),
    );
    const failed = verdicts.flatMap(({ failure }) => (failure ? [failure] : []));
    const slowestMs = Math.round(Math.max(...verdicts.map(({ ms }) => ms)));
    waves.push({ size, failed: failed.length, slowestMs });
    if (failed.length === 0) continue;
    failedWaves += 1;
    if (failedWaves === maxFailedWaves) {
      const counts = new Map<string, number>();
      for (const verdict of failed) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
      throw new WarmUpError(
        `${target.name}: ${failedWaves} waves failed (last, ${size} concurrent requests: ${[
          ...counts,
        ]
          .map(([verdict, count]) => `${count} × ${verdict}`)
          .join(', ')})`,
      );
    }
    index = -1;
  }
  return waves;
}
