import { newTraceId, parseTraceparent, type TraceContext } from './trace-context';

export const CORRELATION_HEADER = 'x-correlation-id';
const WELL_FORMED = /^[A-Za-z0-9\-_.:]{1,128}$/;

export interface Correlation {
  correlationId: string;
  /** Where the id came from, for logs. */
  source: 'header' | 'traceparent' | 'generated';
  /** The caller's trace, or a new one that starts here. */
  trace: TraceContext;
}

/**
 * Picks the request's correlation id: a well-formed `x-correlation-id`, else the trace id of
 * a valid `traceparent`, else a new id (which also starts the trace, so both clouds share it).
 *
 * @param headers lower-cased request headers, as API Gateway's HTTP API delivers them
 */
export function resolveCorrelation(
  headers: Readonly<Record<string, string | undefined>>,
): Correlation {
  const incomingTrace = parseTraceparent(headers.traceparent);
  const trace = incomingTrace ?? {
    traceId: newTraceId(),
    parentId: '0000000000000000',
    flags: '01',
  };
  const offered = headers[CORRELATION_HEADER];
  if (offered !== undefined && WELL_FORMED.test(offered)) {
    return { correlationId: offered, source: 'header', trace };
  }
  if (incomingTrace) return { correlationId: incomingTrace.traceId, source: 'traceparent', trace };
  return { correlationId: trace.traceId, source: 'generated', trace };
}
