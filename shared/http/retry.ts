import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboundCall } from './outbound-call';

/**
 * How a backend's calls are retried, as data: each backend states its policy, and one loop
 * (`retrying`) applies it within the request's deadline.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 switches retries off. */
  maxAttempts: number;
  /** Backoff before retry n (0-based) is up to `min(maxDelayMs, baseDelayMs * 2^n)`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * `full`: a random delay in [0, that bound] (AWS Architecture Blog, "Exponential Backoff and
   * Jitter"), so many callers spread out; `none`: exactly the bound.
   */
  jitter: 'full' | 'none';
  /** A retry is not started with less time than this left before the deadline. */
  minAttemptMs: number;
}

/** What one attempt came to: a value, or a failure that may be retried. */
export type AttemptOutcome<T> =
  | { value: T }
  | {
      /** Called when no retry is left (attempts or time): throw, or make the best of it. */
      giveUp: () => T | Promise<T>;
      /** A delay the backend asked for (Retry-After); the backoff never goes below it. */
      retryAfterMs?: number;
      /** Called before waiting for the next attempt, e.g. to log it. */
      onRetry?: (attempt: number, delayMs: number) => void;
    };

export interface RetryClock {
  now?: () => number;
  random?: () => number;
  /** Waits; rejects when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
}

/** The backoff bound before retry `retry` (0 for the first retry), with the policy's jitter. */
export function backoffDelay(
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>,
  retry: number,
  random: () => number = Math.random,
): number {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return policy.jitter === 'full' ? Math.floor(random() * bound) : bound;
}

/**
 * Runs `attempt` until it gives a value, retrying what it marks retryable while the policy's
 * attempts and the call's deadline allow; a wait is cut short by the call's signal.
 *
 * @example
 *   const body = await retrying(policy, call, async () => {
 *     const response = await send();
 *     return response.status === 503 ? { giveUp: () => fail(response) } : { value: response };
 *   });
 */
export async function retrying<T>(
  policy: RetryPolicy,
  call: Pick<OutboundCall, 'deadline' | 'signal'>,
  attempt: (attemptNumber: number) => Promise<AttemptOutcome<T>>,
  clock: RetryClock = {},
): Promise<T> {
  const now = clock.now ?? Date.now;
  const wait = clock.sleep ?? ((ms, signal) => sleep(ms, undefined, { signal }));
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    const outcome = await attempt(attemptNumber);
    if ('value' in outcome) return outcome.value;
    if (attemptNumber >= policy.maxAttempts) return outcome.giveUp();
    const delay = Math.max(
      outcome.retryAfterMs ?? 0,
      backoffDelay(policy, attemptNumber - 1, clock.random),
    );
    if (now() + delay + policy.minAttemptMs >= call.deadline) return outcome.giveUp();
    outcome.onRetry?.(attemptNumber, delay);
    try {
      await wait(delay, call.signal);
    } catch {
      return outcome.giveUp();
    }
  }
}
