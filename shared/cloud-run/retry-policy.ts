import type { HttpMethod } from './config-schema';

/** RFC 9110 9.2.2: repeating these has the same effect as sending them once. POST and PATCH are not. */
const IDEMPOTENT = new Set<string>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Statuses that mean "not handled, try again" at Cloud Run's front end or the service. */
const RETRYABLE_STATUS = new Set([502, 503, 504]);

export function isIdempotent(method: HttpMethod | string): boolean {
  return IDEMPOTENT.has(method);
}

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * a random delay in [0, min(max, base * 2^retry)], so retries of many callers spread out.
 *
 * @param retry 0 for the first retry
 */
export function backoffDelay(
  retry: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** retry));
}
