import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../../../shared/middleware/request-state';
import { outboundCall, withinTimeout, withTimeout } from '../../../../shared/http/outbound-call';
import { requestBody } from '../../../../shared/http/request-body';
import { encodeBody, readLimitedBody } from '../../../../shared/cloud-run/response-body';
import { isIdempotent } from '../../../../shared/cloud-run/retry-policy';
import { backoffDelay } from '../../../../shared/http/retry';
import { PayloadTooLargeError, UpstreamError } from '../../../../shared/errors';

const event = (body: string | undefined, isBase64Encoded: boolean) =>
  ({ body, isBase64Encoded }) as unknown as GatewayEvent;

describe('requestBody', () => {
  it('happy flow: base64 bodies are decoded to the exact bytes', () => {
    const bytes = Buffer.from([0, 255, 1, 128, 10]);
    expect(requestBody(event(bytes.toString('base64'), true), 10)).toEqual(bytes);
  });

  it('happy flow: text bodies are UTF-8 bytes; no body is undefined', () => {
    expect(requestBody(event('héllo', false), 10)?.length).toBe(6);
    expect(requestBody(event(undefined, false), 10)).toBeUndefined();
  });

  it('error flow: over the limit is 413, counted in decoded bytes', () => {
    expect(requestBody(event(Buffer.alloc(12).toString('base64'), true), 12)?.length).toBe(12);
    expect(() => requestBody(event(Buffer.alloc(13).toString('base64'), true), 12)).toThrow(
      PayloadTooLargeError,
    );
  });
});

describe('readLimitedBody and encodeBody', () => {
  it('happy flow: reads a body within the limit', async () => {
    const body = await readLimitedBody(new Response(new Uint8Array([1, 2, 3])), 3);
    expect([...body]).toEqual([1, 2, 3]);
  });

  it('error flow: a streamed body over the limit is a 502 UpstreamError with the status', async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const read = readLimitedBody(new Response(stream, { status: 200 }), 4096);
    await expect(read).rejects.toBeInstanceOf(UpstreamError);
    await expect(read).rejects.toMatchObject({ status: 502, extensions: { upstreamStatus: 200 } });
  });

  it('happy flow: JSON stays text, binary and non-UTF-8 text go base64', () => {
    expect(encodeBody(Buffer.from('{"a":1}'), 'application/json')).toEqual({
      body: '{"a":1}',
      isBase64Encoded: false,
    });
    expect(encodeBody(Buffer.from([0xff, 0xfe]), 'text/plain').isBase64Encoded).toBe(true);
    expect(encodeBody(Buffer.from([1, 2]), 'image/png')).toEqual({
      body: 'AQI=',
      isBase64Encoded: true,
    });
  });
});

describe('retry policy and deadline', () => {
  const correlation = {
    correlationId: 'c',
    source: 'generated' as const,
    trace: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '0'.repeat(16), flags: '01' },
  };

  it('happy flow: only idempotent methods retry; POST and PATCH never', () => {
    expect(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].every(isIdempotent)).toBe(true);
    expect(isIdempotent('POST')).toBe(false);
    expect(isIdempotent('PATCH')).toBe(false);
  });

  it('happy flow: backoff is full jitter, capped', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000, jitter: 'full' } as const;
    expect(backoffDelay(policy, 0, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 5, () => 0.5)).toBe(500);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay({ ...policy, jitter: 'none' }, 2)).toBe(400);
  });

  it('happy flow: the deadline is the lesser of the service timeout and Lambda time minus margin', () => {
    const deadline = (remainingTimeMs: number, timeoutMs: number) =>
      withTimeout(
        outboundCall({ correlation, remainingTimeMs, marginMs: 1000, now: 1000 }),
        timeoutMs,
        1000,
      ).deadline;
    expect(deadline(29_000, 4000)).toBe(5000);
    expect(deadline(3000, 10_000)).toBe(3000);
    expect(deadline(500, 10_000)).toBe(1000);
  });

  it('happy flow: the narrowed call aborts at its own deadline, and the request call stays open', async () => {
    const request = outboundCall({ correlation, remainingTimeMs: 60_000 });
    const narrowed = withTimeout(request, 20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(narrowed.signal.aborted).toBe(true);
    expect(request.signal.aborted).toBe(false);
    expect(narrowed.traceparent).toBe(request.traceparent);
  });

  it('withinTimeout: the work sees the lesser deadline and aborts at it; the timer ends with the work', async () => {
    const request = outboundCall({ correlation, remainingTimeMs: 60_000 });
    let slow: AbortSignal | undefined;
    await withinTimeout(request, 20, async (call) => {
      slow = call.signal;
      expect(call.deadline).toBeLessThan(request.deadline);
      expect(call.traceparent).toBe(request.traceparent);
      await new Promise((resolve) => setTimeout(resolve, 60));
    });
    expect(slow?.aborted).toBe(true);
    let quick: AbortSignal | undefined;
    await withinTimeout(request, 20, async (call) => {
      quick = call.signal;
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    // Cleared with the work: a finished call is never aborted afterwards.
    expect(quick?.aborted).toBe(false);
    expect(request.signal.aborted).toBe(false);
  });
});
