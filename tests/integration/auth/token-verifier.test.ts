import { createServer } from 'node:http';
import { listenOn } from '../../../local/listen';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenVerifier } from '../../../shared/auth/token-verifier';
import { JwksFetcher } from '../../../shared/auth/jwks-fetcher';
import type { GatewayConfig } from '../../../shared/modules/gateway-config';
import { InvalidTokenError, ServiceUnavailableError } from '../../../shared/errors';
import { OTHER_AUDIENCE } from '../../../local/oidc/machine-clients';
import { tokenFor } from '../../../local/tokens';
import {
  forgeCognitoToken,
  hmacWithPublicKey,
  motoJwk,
  tamperPayload,
  unsignedToken,
} from '../../helpers/forge';
import { stackConfig, testStack, token } from '../../helpers/stack';

let config: GatewayConfig;
let verifier: TokenVerifier;

beforeAll(() => {
  config = stackConfig();
  verifier = TokenVerifier.create(config);
});

async function rejection(tokenValue: string): Promise<Error> {
  const outcome = await verifier.verify(tokenValue).then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error('the token was accepted');
  return outcome;
}

async function expectInvalid(tokenValue: string, detail: string) {
  const error = await rejection(tokenValue);
  expect(error).toBeInstanceOf(InvalidTokenError);
  expect((error as InvalidTokenError).detail).toBe(detail);
  expect((error as InvalidTokenError).headers['www-authenticate']).toContain(
    'error="invalid_token"',
  );
}

describe('TokenVerifier against moto (Cognito) and oidc-provider', () => {
  it('happy flow: a Cognito access token becomes a person with groups', async () => {
    const principal = await verifier.verify(await token('alice'));
    expect(principal).toMatchObject({
      username: 'alice',
      kind: 'person',
      issuerName: 'cognito',
      clientId: testStack().cognito?.clientId,
    });
    expect([...principal.groups].sort()).toEqual(['admins', 'release-managers']);
  });

  it('happy flow: a Cognito id token is accepted, with the client id from aud', async () => {
    const principal = await verifier.verify(await token('bob', 'id'));
    expect(principal).toMatchObject({ username: 'bob', kind: 'person' });
    expect(principal.clientId).toBe(testStack().cognito?.clientId);
  });

  it('happy flow: RS256 and ES256 machine tokens become machines with scopes', async () => {
    const ciBot = await verifier.verify(await token('ci-bot'));
    expect(ciBot).toMatchObject({ subject: 'ci-bot', kind: 'machine', issuerName: 'machines' });
    expect(ciBot.scopes).toContain('gerrit:review');
    const agent = await verifier.verify(await token('ops-agent'));
    expect(agent).toMatchObject({ subject: 'ops-agent', kind: 'agent' }); // named an agent in config
  });

  it('remembers the header of a verified token only, once per distinct header', async () => {
    const own = TokenVerifier.create(config);
    await expect(
      own.verify(tamperPayload(await token('bob'), { 'cognito:groups': ['admins'] })),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    expect(own.knownHeaderCount).toBe(0);
    const first = await own.verify(await token('bob'));
    const second = await own.verify(await token('alice'));
    expect(own.knownHeaderCount).toBe(1);
    // The second token was decoded with the remembered header, to the same principal shape.
    expect(second).toMatchObject({ username: 'alice', issuerName: 'cognito' });
    expect(first).toMatchObject({ username: 'bob', issuerName: 'cognito' });
    await own.verify(await token('ci-bot'));
    expect(own.knownHeaderCount).toBe(2);
  });

  it('error flow: a tampered payload fails the signature check', async () => {
    await expectInvalid(
      tamperPayload(await token('bob'), { 'cognito:groups': ['admins'] }),
      'token signature is invalid',
    );
  });

  it('error flow: alg none is rejected', async () => {
    const payload = JSON.parse(
      Buffer.from((await token('bob')).split('.')[1]!, 'base64url').toString(),
    );
    const error = await rejection(unsignedToken(payload));
    expect(error).toBeInstanceOf(InvalidTokenError);
  });

  it('error flow: HS256 keyed with the issuer public key (algorithm confusion) is rejected', async () => {
    const payload = JSON.parse(
      Buffer.from((await token('bob')).split('.')[1]!, 'base64url').toString(),
    );
    const { n, e, kty } = motoJwk();
    const error = await rejection(hmacWithPublicKey(payload, JSON.stringify({ kty, n, e })));
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).detail).toMatch(/algorithm|signature/);
  });

  it('error flow: an ES256 header on the RSA key is an algorithm mismatch', async () => {
    const [, payload, signature] = (await token('bob')).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'dummy', typ: 'JWT' })).toString(
      'base64url',
    );
    await expectInvalid(
      `${header}.${payload}.${signature}`,
      'token signature algorithm is not accepted for its key',
    );
  });

  it('error flow: an untrusted issuer is rejected before any key is fetched', async () => {
    const stack = testStack();
    await expectInvalid(
      await forgeCognitoToken(stack, {
        payload: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' },
      }),
      'token issuer is not trusted',
    );
  });

  it('error flow: a machine token for another API (wrong audience) is rejected', async () => {
    await expectInvalid(
      await tokenFor(testStack(), 'ci-bot', 'access', OTHER_AUDIENCE),
      'token audience is not accepted',
    );
  });

  it('error flow: a Cognito token of another app client is rejected', async () => {
    await expectInvalid(
      await forgeCognitoToken(testStack(), { payload: { client_id: 'someone-else' } }),
      'token client id is not accepted',
    );
  });

  it('error flow: expired and not-yet-valid tokens are rejected', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalid(
      await forgeCognitoToken(testStack(), { payload: { iat: now - 7200, exp: now - 3600 } }),
      'token has expired',
    );
    await expectInvalid(
      await forgeCognitoToken(testStack(), { payload: { nbf: now + 3600 } }),
      'token is not yet valid',
    );
  });

  it('error flow: a token_use the pool does not accept is rejected', async () => {
    await expectInvalid(
      await forgeCognitoToken(testStack(), { payload: { token_use: 'refresh' } }),
      'token_use is not accepted',
    );
  });

  it('error flow: an unknown kid is rejected', async () => {
    await expectInvalid(
      await forgeCognitoToken(testStack(), { header: { kid: 'rotated-away' } }),
      'token signing key (kid) is unknown',
    );
  });

  it.each([
    ['three one-character segments', 'a.b.c', 'token is not in canonical base64url encoding'],
    ['not a JWT', 'hello', 'token is not a well-formed JWT'],
    ['truncated base64', 'eyJhbGciOi.eyJzdWIi.sig', 'token is not in canonical base64url encoding'],
    ['canonical base64 that is not JSON', 'AAAA.AAAA.AAAA', 'token is not a well-formed JWT'],
  ])('error flow: a malformed token (%s) is rejected', async (_name, value, detail) => {
    await expectInvalid(value, detail);
  });

  it('error flow: a token over 8 KiB is rejected before parsing', async () => {
    const big = await forgeCognitoToken(testStack(), { payload: { padding: 'x'.repeat(9000) } });
    await expectInvalid(big, 'token is larger than 8192 bytes');
  });
});

describe('JWKS fetching', () => {
  it('refetches for an unknown kid at most once per interval', async () => {
    let fetches = 0;
    const fetcher = new JwksFetcher({
      timeoutMs: 2000,
      uriOverrides: cognitoOverride(),
      observer: { onFetch: () => (fetches += 1) },
    });
    const counting = TokenVerifier.create(config, { fetcher });
    await counting.verify(await token('bob'));
    expect(fetches).toBe(1);
    await counting.verify(await token('bob'));
    expect(fetches).toBe(1);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await counting
        .verify(await forgeCognitoToken(testStack(), { header: { kid: `unknown-${attempt}` } }))
        .catch(() => undefined);
    }
    expect(fetches).toBe(2);
  });

  it('error flow: a JWKS endpoint slower than the timeout gives 503, not a hang', async () => {
    // Accepts the connection and never answers.
    const { port, close } = await listenOn(
      createServer(() => undefined),
      '127.0.0.1',
    );
    try {
      const slow = TokenVerifier.create(
        { ...config, jwks: { timeoutMs: 300, totalTimeoutMs: 300, refetchIntervalSeconds: 10 } },
        {
          fetcher: new JwksFetcher({
            timeoutMs: 300,
            uriOverrides: cognitoOverride(`http://127.0.0.1:${port}/jwks`),
          }),
        },
      );
      const started = Date.now();
      const error = await slow.verify(await token('bob')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await close();
    }
  });
});

function cognitoOverride(target?: string): Record<string, string> {
  const stack = testStack();
  const canonical = `https://cognito-idp.us-east-1.amazonaws.com/${stack.cognito?.userPoolId}/.well-known/jwks.json`;
  return { [canonical]: target ?? stack.cognito?.jwksUri ?? '' };
}
