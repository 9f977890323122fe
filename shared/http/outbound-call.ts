import { childTraceparent } from '../correlation/trace-context';
import type { Correlation } from '../correlation/correlation-id';
import { GatewayTimeoutError } from '../errors';

/**
 * Everything a backend client needs to make one call on behalf of a request: who to correlate
 * it with, the trace it continues, and when it must be over. Every backend client takes this
 * one value; none repacks the correlation in its own shape.
 */
export interface OutboundCall {
  correlationId: string;
  /** The traceparent for this hop: the caller's trace continued, with a new span. */
  traceparent: string;
  /** The caller's `tracestate`, passed on unchanged (W3C Trace Context). */
  tracestate?: string;
  /** Epoch ms by which the call, retries included, must be over. */
  deadline: number;
  /** Aborted at the deadline: pass it to fetch, gRPC or any wait. */
  signal: AbortSignal;
}

/** Time kept back from the Lambda's remaining time, to answer with a problem instead of dying. */
export const DEFAULT_LAMBDA_MARGIN_MS = 500;

export interface OutboundCallOptions {
  correlation: Correlation;
  tracestate?: string;
  /** The Lambda's remaining time; absent outside Lambda (then only backend timeouts bound calls). */
  remainingTimeMs?: number;
  marginMs?: number;
  now?: number;
}

/**
 * The request's outbound call: bounded by the Lambda's remaining time minus a margin.
 *
 * The signal's timer is made on first use: most requests (/me, denials, cache hits) never
 * call a backend, and `AbortSignal.timeout` was 8% of a warm /me (issue 16). Made late, it
 * still aborts at the same deadline.
 */
export function outboundCall(options: OutboundCallOptions): OutboundCall {
  const now = options.now ?? Date.now();
  const marginMs = options.marginMs ?? DEFAULT_LAMBDA_MARGIN_MS;
  const budget =
    options.remainingTimeMs === undefined
      ? Number.POSITIVE_INFINITY
      : Math.max(0, options.remainingTimeMs - marginMs);
  const deadline = now + budget;
  // Elapsed time on the monotonic clock: `now` may be an injected clock.
  const madeAt = performance.now();
  let signal: AbortSignal | undefined;
  let traceparent: string | undefined;
  return {
    correlationId: options.correlation.correlationId,
    // The new span id, like the timer below, is made only for a request that calls out.
    get traceparent(): string {
      traceparent ??= childTraceparent(options.correlation.trace);
      return traceparent;
    },
    ...(options.tracestate ? { tracestate: options.tracestate } : {}),
    deadline,
    get signal(): AbortSignal {
      signal ??= Number.isFinite(budget)
        ? timeoutSignal(budget - (performance.now() - madeAt))
        : new AbortController().signal;
      return signal;
    },
  };
}

/**
 * A signal that aborts in `ms`, as AbortSignal.timeout does, or is aborted already when a
 * lazily made signal is asked for after its deadline.
 */
function timeoutSignal(ms: number): AbortSignal {
  return ms > 0
    ? AbortSignal.timeout(Math.ceil(ms))
    : AbortSignal.abort(
        new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      );
}

/**
 * The same call bounded by a backend's own timeout as well: the lesser deadline wins, and the
 * signal aborts at whichever comes first.
 */
export function withTimeout(call: OutboundCall, timeoutMs: number, now = Date.now()): OutboundCall {
  const deadline = Math.min(call.deadline, now + timeoutMs);
  if (deadline === call.deadline) return call;
  // Lazy, as in outboundCall: a caller that only reads the deadline (Spanner's statement
  // budget) arms no timer. Built field by field: a spread would run the call's getters.
  const budget = Math.max(0, deadline - now);
  const madeAt = performance.now();
  let signal: AbortSignal | undefined;
  return {
    correlationId: call.correlationId,
    get traceparent(): string {
      return call.traceparent;
    },
    ...(call.tracestate ? { tracestate: call.tracestate } : {}),
    deadline,
    get signal(): AbortSignal {
      signal ??= AbortSignal.any([
        call.signal,
        timeoutSignal(budget - (performance.now() - madeAt)),
      ]);
      return signal;
    },
  };
}

/**
 * Runs `work` with the call narrowed to a backend's own timeout, like `withTimeout`, but with
 * one timer that is cleared when the work is over. `withTimeout`'s `AbortSignal.timeout`
 * timers cannot be cleared: each one fires (and wakes the worker) long after the answer. The
 * narrowed signal stands for the lesser deadline, so it honours the call's own deadline too.
 *
 * @example
 *   const result = await withinTimeout(request.call, 10_000, (call) => forward(call));
 */
export async function withinTimeout<T>(
  call: OutboundCall,
  timeoutMs: number,
  work: (narrowed: OutboundCall) => Promise<T>,
  now: () => number = Date.now,
): Promise<T> {
  const deadline = Math.min(call.deadline, now() + timeoutMs);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - now()));
  try {
    // Built field by field: spreading the call would run its lazy `signal` getter.
    return await work({
      correlationId: call.correlationId,
      traceparent: call.traceparent,
      ...(call.tracestate ? { tracestate: call.tracestate } : {}),
      deadline,
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Milliseconds left before the call's deadline; 0 when it has passed. */
export function remainingMs(call: Pick<OutboundCall, 'deadline'>, now = Date.now()): number {
  return Math.max(0, call.deadline - now);
}

/** Throws the gateway's 504 when the call's deadline has passed. */
export function assertTimeLeft(call: Pick<OutboundCall, 'deadline'>, what: string): void {
  if (remainingMs(call) <= 0) throw new GatewayTimeoutError(`${what} ran out of time`);
}
