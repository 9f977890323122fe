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
