import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGateway, testStack, token } from '../helpers/stack';
import { countGetSecretValue, startMotoRecording } from '../helpers/moto-recorder';

/**
 * ANY /run/{service}/{proxy+} through serverless offline, to the echo sample service, with
 * Google ID tokens minted by the Google stand-in from the external_account secret in moto.
 * One file on purpose: the fault tests switch the shared stand-in's behaviour.
 */

interface EchoReport {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: { bytes: number; sha256: string };
  idToken: { iss: string; aud: string; email: string; email_verified: boolean };
}

interface Counters {
  sts: number;
  generateIdToken: number;
  idTokensByAudience: Record<string, number>;
}

const google = () => testStack().google as { url: string; adminUrl: string };
const echoUrl = () => (testStack().echo as { url: string }).url;

async function counters(): Promise<Counters> {
  return (await (await fetch(`${google().adminUrl}/counters`)).json()) as Counters;
}

async function setFaults(faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${google().adminUrl}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.status).toBe(200);
}

/** Cloud Run answering 401 makes the gateway drop its cached ID token: the next call mints. */
async function forgetIdToken(bearer: string): Promise<void> {
  const response = await callGateway('/run/echo/status/401', { bearer });
  expect(response.status).toBe(502);
}

let bob: string;

beforeAll(async () => {
  bob = await token('bob');
});

afterAll(async () => {
  await setFaults({ mode: 'normal', delayMs: 0, tokenLifetimeSeconds: 3600 });
});

describe('ANY /run/{service}/{proxy+}: happy flows', () => {
  it('bob reaches echo; echo sees the path, query, identity headers and a verified ID token', async () => {
    const traceId = randomBytes(16).toString('hex');
    const response = await callGateway('/run/echo/hello?x=1&y=2&y=3', {
      bearer: bob,
      headers: {
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        cookie: 'session=caller',
        'x-crossgate-subject': 'spoofed-admin',
        'x-evil': '1',
        'x-request-id': 'req-7',
        accept: 'application/json',
      },
    });
    expect(response.status).toBe(200);
    const echo = response.body as EchoReport;
    expect(echo).toMatchObject({ method: 'GET', path: '/hello', query: 'x=1&y=2&y=3' });
    expect(echo.headers).toMatchObject({
      'x-crossgate-groups': 'developers',
      'x-crossgate-principal-kind': 'person',
      'x-request-id': 'req-7',
      accept: 'application/json',
    });
    expect(echo.headers['x-crossgate-subject']).not.toBe('spoofed-admin');
    expect(echo.headers['x-crossgate-subject']).toMatch(/^[0-9a-f-]{36}$/);
    expect(echo.headers).not.toHaveProperty('cookie');
    expect(echo.headers).not.toHaveProperty('x-evil');
    // The trace continues: same trace id, a new span for the hop.
    expect(echo.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(echo.headers['x-correlation-id']).toBe(response.headers.get('x-correlation-id'));
    expect(echo.idToken).toEqual(
      expect.objectContaining({
        iss: 'https://accounts.google.com',
        aud: echoUrl(),
        email: 'crossgate-gateway@crossgate-local.iam.gserviceaccount.com',
        email_verified: true,
      }),
    );
    // The caller's own token never reaches the service.
    expect(response.text).not.toContain(bob.slice(-20));
  });

  it('ci-bot is allowed by its run:echo scope and shows up as a machine', async () => {
    const response = await callGateway('/run/echo/ci', { bearer: await token('ci-bot') });
    expect(response.status).toBe(200);
    const echo = response.body as EchoReport;
    expect(echo.headers['x-crossgate-principal-kind']).toBe('machine');
    expect(echo.headers['x-crossgate-subject']).toBe('ci-bot');
    expect(echo.headers['x-crossgate-scopes']?.split(' ')).toContain('run:echo');
  });

  it('alice is allowed as an admin; ops-agent (no run:echo, no group) is 403', async () => {
    expect((await callGateway('/run/echo/x', { bearer: await token('alice') })).status).toBe(200);
    const denied = await callGateway('/run/echo/x', { bearer: await token('ops-agent') });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ missingPermission: expect.stringContaining('run:echo') });
  });

  it('binary bodies go both ways byte for byte; allowlisted response headers only', async () => {
    const payload = randomBytes(4096);
    const response = await fetch(`${testStack().gatewayUrl}/run/echo/mirror`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${bob}`, 'content-type': 'application/octet-stream' },
      body: payload,
    });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(payload)).toBe(true);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{16}"$/);

    const withHeaders = await callGateway('/run/echo/headers', { bearer: bob });
    expect(withHeaders.headers.get('etag')).toBe('"v1"');
    expect(withHeaders.headers.get('set-cookie')).toBeNull();
    expect(withHeaders.headers.get('x-internal-secret')).toBeNull();
  });
});

describe('ANY /run/{service}/{proxy+}: refused requests', () => {
  it('an unknown service is 404, without calling Google or any URL', async () => {
    const response = await callGateway('/run/nope/hello', { bearer: bob });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('a method the service does not accept is 405 with Allow', async () => {
    const response = await callGateway('/run/echo/hello', { bearer: bob, method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST, PUT, PATCH');
  });

  it.each(['/run/echo/a/..%2f..%2fadmin', '/run/echo/%252e%252e/x', '/run/echo/a%00b'])(
    'path traversal %s is 400',
    async (path) => {
      const response = await callGateway(path, { bearer: bob });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ status: 400 });
    },
  );

  it('an oversized body is 413; no token is 401', async () => {
    const response = await callGateway('/run/echo/mirror', {
      bearer: bob,
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(1_048_577),
    });
    expect(response.status).toBe(413);
    expect((await callGateway('/run/echo/hello')).status).toBe(401);
  });
});

describe('ANY /run/{service}/{proxy+}: faults', () => {
  it('503 then 200 is retried for GET; POST is never retried', async () => {
    const getKey = randomUUID();
    const get = await callGateway(`/run/echo/flaky/${getKey}?failures=1`, { bearer: bob });
    expect(get.status).toBe(200);
    expect(get.body).toEqual({ calls: 2 });

    const postKey = randomUUID();
    const post = await callGateway(`/run/echo/flaky/${postKey}?failures=1`, {
      bearer: bob,
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(post.status).toBe(502);
    expect(post.body).toMatchObject({ upstreamStatus: 503 });
    const calls = (await (await fetch(`${echoUrl()}/__admin/flaky/${postKey}`)).json()) as {
      calls: number;
    };
    expect(calls.calls).toBe(1);
  });

  it('an upstream 5xx with an HTML body is 502 problem+json without the HTML', async () => {
    const response = await callGateway('/run/echo/status/500', { bearer: bob });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ upstreamStatus: 500 });
    expect(response.text).not.toContain('<h1>');
  });

  it('a hanging service is 504 at the service deadline, well before the Lambda timeout', async () => {
    const started = Date.now();
    const response = await callGateway('/run/echo/hang', { bearer: bob });
    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({ type: 'urn:crossgate:problem:gateway-timeout' });
    // echo's timeoutMs is 4 s; the Lambda's timeout is 29 s.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('an oversized response is 502 problem+json, not a crash', async () => {
    const response = await callGateway('/run/echo/bytes/5000000', { bearer: bob });
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ upstreamStatus: 200 });
    // The function still answers afterwards.
    expect((await callGateway('/run/echo/bytes/16', { bearer: bob })).status).toBe(200);
  });

  it('the Google token endpoint down is 503 with Retry-After; slower than the deadline is 504', async () => {
    await forgetIdToken(bob);
    await setFaults({ mode: 'unavailable' });
    try {
      const down = await callGateway('/run/echo/hello', { bearer: bob });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(down.text).not.toMatch(/ya29\.|eyJ/);

      await setFaults({ mode: 'slow', delayMs: 8000 });
      const slow = await callGateway('/run/echo/hello', { bearer: bob });
      expect(slow.status).toBe(504);
    } finally {
      await setFaults({ mode: 'normal', delayMs: 0 });
    }
    // The mint that outlived the 504 may still be failing for whoever joins it; after it, a
    // fresh mint succeeds.
    let recovered = await callGateway('/run/echo/hello', { bearer: bob });
    if (recovered.status === 503) recovered = await callGateway('/run/echo/hello', { bearer: bob });
    expect(recovered.status).toBe(200);
  });

  it('200 requests cost at most one GetSecretValue and exactly one ID token mint', async () => {
    const moto = testStack().moto;
    if (!moto) throw new Error('moto is not running');
    await startMotoRecording(moto.endpoint);
    const secretId = 'crossgate/gcp-credentials';
    await forgetIdToken(bob);
    const fetchesBefore = await countGetSecretValue(moto.endpoint, secretId);
    const mintsBefore = (await counters()).idTokensByAudience[echoUrl()] ?? 0;

    // Sequential: serverless offline, like Lambda, starts a new container (a cold start with
    // empty caches) for each concurrent request; concurrency is covered by the integration tests.
    const statuses: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      statuses.push((await callGateway(`/run/echo/load/${i}`, { bearer: bob })).status);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(200);
    const mints = ((await counters()).idTokensByAudience[echoUrl()] ?? 0) - mintsBefore;
    const fetches = (await countGetSecretValue(moto.endpoint, secretId)) - fetchesBefore;
    console.log(`200 requests: ${mints} ID token mint(s), ${fetches} GetSecretValue call(s)`);
    expect(mints).toBe(1);
    expect(fetches).toBeLessThanOrEqual(1);
  }, 60_000);
});
