/** Order statistics of a sample, in the sample's unit. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

/** Runs `task` `count` times sequentially; returns each run's duration in microseconds. */
export async function timeEach(
  count: number,
  task: () => Promise<unknown> | unknown,
): Promise<number[]> {
  const samples = new Array<number>(count);
  for (let i = 0; i < count; i += 1) {
    const started = process.hrtime.bigint();
    await task();
    samples[i] = Number(process.hrtime.bigint() - started) / 1000;
  }
  return samples;
}

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));
