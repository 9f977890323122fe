import { expect } from 'vitest';

export interface TimedResponse {
  status: number;
  headers: Headers;
  body: unknown;
  /** Wall time of the whole exchange, as the caller saw it. */
  elapsedMs: number;
  /**
   * serverless offline's own Lambda error (`LambdaTimeoutError`, ...), which it answers with
   * HTTP 200 and its own JSON: not an answer of the gateway, whatever the status says.
   */
  offlineError?: string;
}

/**
 * One request to a gateway (a dedicated stack's, not the shared one), timed. The client gives
 * up at 29 s, just under API Gateway's 30 s: a gateway that takes longer fails the test anyway.
 */
export async function timedCall(
  gatewayUrl: string,
  path: string,
  init: RequestInit & { bearer: string },
): Promise<TimedResponse> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${init.bearer}`);
  const started = performance.now();
  const response = await fetch(`${gatewayUrl}${path}`, {
    ...init,
    headers,
    signal: AbortSignal.timeout(29_000),
  });
  const text = await response.text();
  const elapsedMs = performance.now() - started;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text, and the assertions below say so.
  }
  const errorType = (body as { errorType?: unknown } | null)?.errorType;
  return {
    status: response.status,
    headers: response.headers,
    body,
    elapsedMs,
    ...(typeof errorType === 'string' ? { offlineError: errorType } : {}),
  };
}

/** A real 200 from the gateway (not serverless offline's 200 for a Lambda that failed). */
export function expectOk(response: TimedResponse): void {
  expect(response.offlineError, JSON.stringify(response.body).slice(0, 400)).toBeUndefined();
  expect(response.status, JSON.stringify(response.body).slice(0, 400)).toBe(200);
}

/**
 * Asserts a problem+json answer: its status, its `type` (urn:crossgate:problem:<slug>), a Retry-After when
 * one is expected (and its absence otherwise), and that it came within `maxMs`.
 */
export function expectProblem(
  response: TimedResponse,
  expected: { status: number; slug: string; retryAfter: boolean; maxMs: number },
): void {
  const context = JSON.stringify(response.body).slice(0, 400);
  expect(response.offlineError, context).toBeUndefined();
  expect(response.status, context).toBe(expected.status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = response.body as { type?: string; status?: number; correlationId?: string };
  expect(body.type, context).toBe(`urn:crossgate:problem:${expected.slug}`);
  expect(body.status).toBe(expected.status);
  const retryAfter = response.headers.get('retry-after');
  if (expected.retryAfter) expect(retryAfter, context).toMatch(/^[1-9]\d*$/);
  else expect(retryAfter).toBeNull();
  expect(response.elapsedMs, context).toBeLessThan(expected.maxMs);
}

/**
 * Calls until the answer is `status` (the dependency is back), at most `attempts` times with
 * `pauseMs` between, and returns that answer; the last answer fails the test otherwise.
 * Recovery is checked this way because caches and penalty boxes decide when, not the test.
 */
export async function untilStatus(
  call: () => Promise<TimedResponse>,
  status: number,
  { attempts = 10, pauseMs = 500 } = {},
): Promise<TimedResponse> {
  let last: TimedResponse | undefined;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    last = await call();
    if (last.status === status && !last.offlineError) return last;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  expect(last?.offlineError, JSON.stringify(last?.body).slice(0, 400)).toBeUndefined();
  expect(last?.status, JSON.stringify(last?.body).slice(0, 400)).toBe(status);
  return last as TimedResponse;
}
