import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../../../shared/middleware/request-state';
import { requestDeadline } from '../../../../shared/deadline';
import { requestBody } from '../../../../shared/http/request-body';
import { encodeBody, readLimitedBody } from '../../../../shared/cloud-run/response-body';
import { backoffDelay, isIdempotent } from '../../../../shared/cloud-run/retry-policy';
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
  it('happy flow: only idempotent methods retry; POST and PATCH never', () => {
    expect(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].every(isIdempotent)).toBe(true);
    expect(isIdempotent('POST')).toBe(false);
    expect(isIdempotent('PATCH')).toBe(false);
  });

  it('happy flow: backoff is full jitter, capped', () => {
    expect(backoffDelay(0, 100, 1000, () => 0.999)).toBe(99);
    expect(backoffDelay(5, 100, 1000, () => 0.5)).toBe(500);
    expect(backoffDelay(3, 100, 1000, () => 0)).toBe(0);
  });

  it('happy flow: the deadline is the lesser of the service timeout and Lambda time minus margin', () => {
    expect(
      requestDeadline({
        now: 1000,
        timeoutMs: 4000,
        lambdaRemainingMs: 29_000,
        marginMs: 1000,
      }),
    ).toBe(5000);
    expect(
      requestDeadline({
        now: 1000,
        timeoutMs: 10_000,
        lambdaRemainingMs: 3000,
        marginMs: 1000,
      }),
    ).toBe(3000);
    expect(
      requestDeadline({
        now: 1000,
        timeoutMs: 10_000,
        lambdaRemainingMs: 500,
        marginMs: 1000,
      }),
    ).toBe(1000);
  });
});
