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
        ? AbortSignal.timeout(Math.max(0, Math.ceil(budget - (performance.now() - madeAt))))
        : new AbortController().signal;
      return signal;
    },
  };
}

/**
 * The same call bounded by a backend's own timeout as well: the lesser deadline wins, and the
 * signal aborts at whichever comes first.
 */
export function withTimeout(call: OutboundCall, timeoutMs: number, now = Date.now()): OutboundCall {
  const deadline = Math.min(call.deadline, now + timeoutMs);
  if (deadline === call.deadline) return call;
  return {
    ...call,
    deadline,
    signal: AbortSignal.any([call.signal, AbortSignal.timeout(Math.max(0, deadline - now))]),
  };
}

/** Milliseconds left before the call's deadline; 0 when it has passed. */
export function remainingMs(call: Pick<OutboundCall, 'deadline'>, now = Date.now()): number {
  return Math.max(0, call.deadline - now);
}

/** Throws the gateway's 504 when the call's deadline has passed. */
export function assertTimeLeft(call: Pick<OutboundCall, 'deadline'>, what: string): void {
  if (remainingMs(call) <= 0) throw new GatewayTimeoutError(`${what} ran out of time`);
}
