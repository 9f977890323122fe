import { describe, expect, it } from 'vitest';
import { forgeCognitoToken, tamperPayload } from '../helpers/forge';
import { callGateway, gatewayUrl, testStack, token } from '../helpers/stack';

/**
 * The edge: serverless offline runs the same Lambda REQUEST authorizer as API Gateway in AWS
 * (functions/authorizer), so every request with a token below went through it first.
 * The edge's refusal is API Gateway's plain 401, not the functions' problem+json: that is
 * how these tests tell which of the two answered.
 */

/** The origin the dev stage allows (serverless.yml, `corsAllowedOrigins`). */
const allowedOrigin = 'http://localhost:3000';

function expectEdgeRefusal(response: { status: number; headers: Headers; text: string }) {
  expect(response.status).toBe(401);
  // Not the function's answer: it would be problem+json with a correlation id.
  expect(response.headers.get('content-type')).not.toBe('application/problem+json');
  expect(response.headers.get('x-correlation-id')).toBeNull();
}

describe('the edge authorizer under serverless offline', () => {
  it('happy flow: a machine token from the OIDC issuer passes the edge and the function', async () => {
    const response = await callGateway('/me', { bearer: await token('ci-bot') });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      principal: { subject: 'ci-bot', kind: 'machine', issuerName: 'machines' },
    });
  });

  it('happy flow: a person from the Cognito pool passes the edge too', async () => {
    const response = await callGateway('/me', { bearer: await token('alice') });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ principal: { username: 'alice', kind: 'person' } });
  });

  it('error flow: a bad signature is refused with 401 by the authorizer, before the function', async () => {
    const bad = tamperPayload(await token('bob'), { 'cognito:groups': ['admins'] });
    const response = await callGateway('/me', { bearer: bad });
    expectEdgeRefusal(response);
    expect(response.text).not.toContain(bad.slice(0, 40));
  });

  it('error flow: an expired token and an untrusted issuer are refused at the edge', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const bad of [
      await forgeCognitoToken(testStack(), { payload: { iat: now - 7200, exp: now - 3600 } }),
      await forgeCognitoToken(testStack(), {
        payload: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Evil' },
      }),
    ]) {
      expectEdgeRefusal(await callGateway('/run/echo/hello', { bearer: bad }));
    }
  });

  it('error flow: no Authorization header is 401 at the edge; /health needs none', async () => {
    expectEdgeRefusal(await callGateway('/spanner/listSingers', { method: 'POST' }));
    expect((await callGateway('/health')).status).toBe(200);
  });

  it('CORS: a preflight on ANY /run/... is answered without a token (never reaches the authorizer)', async () => {
    const preflight = await fetch(gatewayUrl('/run/echo/hello'), {
      method: 'OPTIONS',
      headers: {
        origin: allowedOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
      signal: AbortSignal.timeout(10_000),
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );

    // An origin that is not configured gets no CORS grant.
    const stranger = await fetch(gatewayUrl('/run/echo/hello'), {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      signal: AbortSignal.timeout(10_000),
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS: an actual call from the allowed origin carries the grant and the correlation id', async () => {
    const response = await callGateway('/me', {
      bearer: await token('alice'),
      headers: { origin: allowedOrigin, 'x-correlation-id': 'cors-1' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(response.headers.get('x-correlation-id')).toBe('cors-1');
  });
});
