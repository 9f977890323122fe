import { describe, expect, it } from 'vitest';
import { OTHER_AUDIENCE } from '../../local/oidc/machine-clients';
import { tokenFor } from '../../local/tokens';
import {
  forgeCognitoToken,
  hmacWithPublicKey,
  motoJwk,
  tamperPayload,
  unsignedToken,
} from '../helpers/forge';
import { callGateway, testStack, token } from '../helpers/stack';

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

const now = () => Math.floor(Date.now() / 1000);

const badTokens: [string, () => Promise<string>][] = [
  [
    'a bad signature',
    async () => tamperPayload(await token('bob'), { 'cognito:groups': ['admins'] }),
  ],
  ['alg none', async () => unsignedToken(claimsOf(await token('bob')))],
  [
    'algorithm confusion (HS256 with the public key)',
    async () => {
      const { kty, n, e } = motoJwk();
      return hmacWithPublicKey(claimsOf(await token('bob')), JSON.stringify({ kty, n, e }));
    },
  ],
  [
    'an untrusted issuer',
    () =>
      forgeCognitoToken(testStack(), {
        payload: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Evil' },
      }),
  ],
  ['a wrong audience', () => tokenFor(testStack(), 'ci-bot', 'access', OTHER_AUDIENCE)],
  [
    'a wrong client id',
    () => forgeCognitoToken(testStack(), { payload: { client_id: 'someone-else' } }),
  ],
  [
    'an expired token',
    () => forgeCognitoToken(testStack(), { payload: { iat: now() - 7200, exp: now() - 3600 } }),
  ],
  [
    'a not-yet-valid token',
    () => forgeCognitoToken(testStack(), { payload: { nbf: now() + 3600 } }),
  ],
  [
    'a wrong token_use',
    () => forgeCognitoToken(testStack(), { payload: { token_use: 'refresh' } }),
  ],
  ['an unknown kid', () => forgeCognitoToken(testStack(), { header: { kid: 'rotated-away' } })],
  ['a malformed token', async () => 'definitely.not.ajwt'],
  [
    'a token over 8 KiB',
    () => forgeCognitoToken(testStack(), { payload: { padding: 'x'.repeat(9000) } }),
  ],
];

describe('bad tokens through serverless offline', () => {
  // The edge authorizer (the same TokenVerifier as the functions) refuses each of them before
  // any function runs: API Gateway's plain 401, never the token. That the functions refuse
  // them on their own as well is tested on the handlers (tests/integration/auth).
  it.each(badTokens)('error flow: %s gets 401 at the edge', async (_name, make) => {
    const bad = await make();
    const response = await callGateway('/me', { bearer: bad });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).not.toBe('application/problem+json');
    expect(response.headers.get('x-correlation-id')).toBeNull();
    expect(response.text).not.toContain(bad.slice(0, 40));
  });

  it('the correlation id follows a W3C traceparent when no x-correlation-id is sent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await callGateway('/me', {
      bearer: await token('alice', 'id'),
      headers: {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        'x-correlation-id': 'not valid!',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-correlation-id')).toBe(traceId);
  });

  it('GET /health needs no token and reports name and version', async () => {
    const response = await callGateway('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      name: 'crossgate',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(response.headers.get('x-correlation-id')).toBeTruthy();
  });
});
