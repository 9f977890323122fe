import { childTraceparent } from '../correlation/trace-context';
import type { Correlation } from '../correlation/correlation-id';
import { GatewayTimeoutError } from '../errors';

/**
 * Everything a backend client needs to make one call on behalf of a request: who to correlate
 * it with, the trace it continues, and when it must be over. Every backend client takes this
 * one value; none repacks the correlation in its own shape.
 *
 * The request's call makes `traceparent` and `signal` on first use (getters on its class), so
 * never spread one: a spread copies own properties only and would drop both. Narrow it with
 * `withinTimeout`, which hands the work a plain call (fields copied), or build one field by
 * field.
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
 * An OutboundCall whose traceparent (a new span id) and signal (a timer) are made on first
 * use: most requests (/me, denials, cache hits) never call a backend, and an eager
 * `AbortSignal.timeout` was 8% of a warm /me (issue 16). Made late, the signal still aborts at
 * the same deadline. A class because its getters then live on the prototype: an object
 * literal with getters is built through V8's runtime on every request.
 */
class LazyOutboundCall implements OutboundCall {
  #traceparent: string | undefined;
  #signal: AbortSignal | undefined;

  constructor(
    readonly correlationId: string,
    readonly deadline: number,
    readonly tracestate: string | undefined,
    private readonly makeTraceparent: () => string,
    private readonly makeSignal: () => AbortSignal,
  ) {}

  get traceparent(): string {
    this.#traceparent ??= this.makeTraceparent();
    return this.#traceparent;
  }

  get signal(): AbortSignal {
    this.#signal ??= this.makeSignal();
    return this.#signal;
  }
}

/** The request's outbound call: bounded by the Lambda's remaining time minus a margin. */
export function outboundCall(options: OutboundCallOptions): OutboundCall {
  const now = options.now ?? Date.now();
  const marginMs = options.marginMs ?? DEFAULT_LAMBDA_MARGIN_MS;
  const budget =
    options.remainingTimeMs === undefined
      ? Number.POSITIVE_INFINITY
      : Math.max(0, options.remainingTimeMs - marginMs);
  // Elapsed time on the monotonic clock: `now` may be an injected clock.
  const madeAt = performance.now();
  const { correlation } = options;
  return new LazyOutboundCall(
    correlation.correlationId,
    now + budget,
    options.tracestate || undefined,
    () => childTraceparent(correlation.trace),
    () =>
      Number.isFinite(budget)
        ? timeoutSignal(budget - (performance.now() - madeAt))
        : new AbortController().signal,
  );
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
  // budget) arms no timer.
  const budget = Math.max(0, deadline - now);
  const madeAt = performance.now();
  return new LazyOutboundCall(
    call.correlationId,
    deadline,
    call.tracestate,
    () => call.traceparent,
    () => AbortSignal.any([call.signal, timeoutSignal(budget - (performance.now() - madeAt))]),
  );
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
    // Built field by field: a spread would drop the call's getters (or, read, run them). The
    // work gets a plain call, which it may spread.
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
