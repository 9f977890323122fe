import { randomUUID } from 'node:crypto';

/** A W3C Trace Context (https://www.w3.org/TR/trace-context/) position in a trace. */
export interface TraceContext {
  traceId: string;
  parentId: string;
  flags: string;
}

const TRACEPARENT =
  /^(?<version>[0-9a-f]{2})-(?<traceId>[0-9a-f]{32})-(?<parentId>[0-9a-f]{16})-(?<flags>[0-9a-f]{2})(?<rest>-.*)?$/;
const ALL_ZERO = /^0+$/;

/** Parses a traceparent header; undefined when it is absent or invalid. */
export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  if (!header) return undefined;
  const { version, traceId, parentId, flags, rest } = TRACEPARENT.exec(header.trim())?.groups ?? {};
  if (!version || !traceId || !parentId || !flags) return undefined;
  // Version ff is forbidden; version 00 has exactly four fields; later versions may add more.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

/**
 * A new 32-hex-digit trace id. Built from `randomUUID()` because Node serves it from a
 * pre-filled entropy pool: 0.12 µs against 1.5 µs for `randomBytes(16)` (issue 16). A v4
 * UUID carries 122 random bits, and its version digit `4` means it is never all zeros,
 * which W3C Trace Context forbids.
 */
export function newTraceId(): string {
  const uuid = randomUUID();
  return (
    uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24)
  );
}

/** A new 16-hex-digit span id: the first 64 bits of a v4 UUID, the version digit included. */
export function newSpanId(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18);
}

/** The traceparent to send downstream: same trace, a new span for this hop. */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${newSpanId()}-${trace.flags}`;
}
