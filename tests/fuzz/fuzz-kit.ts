import { expect } from 'vitest';
import { GatewayError } from '../../shared/errors';

/**
 * Runs per property. Small by default so the normal test pass stays fast; `npm run fuzz`
 * sets FUZZ_RUNS to many more. FUZZ_SEED replays a reported failure.
 */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);
export const fuzzParameters = {
  numRuns: FUZZ_RUNS,
  ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
};

/**
 * The invariant every parser of caller input keeps: it returns, or it throws a typed
 * GatewayError with a 4xx status. Anything else (TypeError, RangeError, a 500) is a finding.
 */
export function outcomeOf<T>(run: () => T): { value: T } | { error: GatewayError } {
  try {
    return { value: run() };
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBeGreaterThanOrEqual(400);
    expect((error as GatewayError).status).toBeLessThan(500);
    return { error: error as GatewayError };
  }
}
