import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveCorrelation } from '../../shared/correlation/correlation-id';
import { childTraceparent, parseTraceparent } from '../../shared/correlation/trace-context';
import { fuzzParameters } from './fuzz-kit';

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** Headers as a caller may send them: arbitrary text, near-misses of the real formats. */
const headerValue = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .tuple(hex(2), hex(32), hex(16), hex(2), fc.option(fc.string({ maxLength: 20 })))
    .map(([v, t, p, f, rest]) => `${v}-${t}-${p}-${f}${rest === null ? '' : `-${rest}`}`),
);

describe('fuzz: correlation id and traceparent', () => {
  it('any headers give a safe correlation id and a valid trace to send on', () => {
    fc.assert(
      fc.property(fc.option(headerValue), fc.option(headerValue), (offered, traceparent) => {
        const result = resolveCorrelation({
          ...(offered === null ? {} : { 'x-correlation-id': offered }),
          ...(traceparent === null ? {} : { traceparent }),
        });
        // Safe to echo in a header and a log line: no CR/LF, bounded.
        expect(result.correlationId).toMatch(/^[A-Za-z0-9\-_.:]{1,128}$/);
        // What goes downstream is always a valid version-00 traceparent of the same trace.
        const child = childTraceparent(result.trace);
        expect(child).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
        expect(parseTraceparent(child)?.traceId).toBe(result.trace.traceId);
      }),
      fuzzParameters,
    );
  });

  it('parseTraceparent accepts only what the W3C grammar allows', () => {
    fc.assert(
      fc.property(headerValue, (value) => {
        const parsed = parseTraceparent(value);
        if (!parsed) return;
        expect(parsed.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
        expect(parsed.parentId).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
        expect(parsed.flags).toMatch(/^[0-9a-f]{2}$/);
      }),
      fuzzParameters,
    );
  });
});
