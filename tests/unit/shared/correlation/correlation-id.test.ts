import { describe, expect, it } from 'vitest';
import { resolveCorrelation } from '../../../../shared/correlation/correlation-id';
import {
  childTraceparent,
  newSpanId,
  newTraceId,
  parseTraceparent,
} from '../../../../shared/correlation/trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('resolveCorrelation', () => {
  it('happy flow: takes a well-formed x-correlation-id', () => {
    const result = resolveCorrelation({ 'x-correlation-id': 'build-42:step_3.a' });
    expect(result).toMatchObject({ correlationId: 'build-42:step_3.a', source: 'header' });
  });

  it('accepts exactly 128 characters and refuses 129', () => {
    expect(resolveCorrelation({ 'x-correlation-id': 'a'.repeat(128) }).source).toBe('header');
    expect(resolveCorrelation({ 'x-correlation-id': 'a'.repeat(129) }).source).toBe('generated');
  });

  it.each(['has space', 'semi;colon', 'new\nline', '', 'ünïcode', '<script>'])(
    'error flow: refuses %j and falls back',
    (offered) => {
      const result = resolveCorrelation({ 'x-correlation-id': offered });
      expect(result.source).toBe('generated');
      expect(result.correlationId).toMatch(/^[0-9a-f]{32}$/);
    },
  );

  it('falls back to the trace id of a valid traceparent', () => {
    const result = resolveCorrelation({ 'x-correlation-id': 'bad id', traceparent: TRACEPARENT });
    expect(result).toMatchObject({ correlationId: TRACE_ID, source: 'traceparent' });
    expect(result.trace.traceId).toBe(TRACE_ID);
  });

  it('keeps the caller trace even when the correlation id comes from the header', () => {
    const result = resolveCorrelation({ 'x-correlation-id': 'abc', traceparent: TRACEPARENT });
    expect(result.correlationId).toBe('abc');
    expect(result.trace.traceId).toBe(TRACE_ID);
  });

  it('generates a new id that also starts the trace', () => {
    const result = resolveCorrelation({});
    expect(result.source).toBe('generated');
    expect(result.trace.traceId).toBe(result.correlationId);
  });
});

describe('parseTraceparent', () => {
  it.each([
    ['version ff', `ff-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['upper case', TRACEPARENT.toUpperCase()],
    ['extra field on version 00', `${TRACEPARENT}-extra`],
    ['short trace id', `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`],
  ])('error flow: rejects %s', (_name, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('accepts a later version with extra fields', () => {
    expect(parseTraceparent(`01-${TRACE_ID}-00f067aa0ba902b7-01-future`)?.traceId).toBe(TRACE_ID);
  });

  it('childTraceparent keeps the trace and flags with a new span id', () => {
    const trace = parseTraceparent(TRACEPARENT)!;
    const child = childTraceparent(trace);
    expect(child).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(child).not.toContain('00f067aa0ba902b7');
  });
});

describe('newTraceId and newSpanId', () => {
  it('happy flow: 32 and 16 lower-case hex digits, never all zero, different each time', () => {
    const traceIds = new Set(Array.from({ length: 1000 }, () => newTraceId()));
    expect(traceIds.size).toBe(1000);
    for (const id of traceIds) {
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(id).not.toMatch(/^0+$/);
    }
    expect(newSpanId()).toMatch(/^[0-9a-f]{16}$/);
    // What we send downstream parses back as a valid traceparent.
    const child = childTraceparent({ traceId: newTraceId(), parentId: newSpanId(), flags: '01' });
    expect(parseTraceparent(child)).toBeDefined();
  });
});
