import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOn, type ListeningServer } from '../../../local/listen';
import { JwksFetcher } from '../../../shared/auth/jwks-fetcher';
import { TokenVerifier } from '../../../shared/auth/token-verifier';
import { VerifiedTokenCache } from '../../../shared/auth/verified-token-cache';
import { authSchema, issuerSchema, jwksSchema } from '../../../shared/config/issuers-schema';
import { InvalidTokenError, ServiceUnavailableError } from '../../../shared/errors';

/**
 * The findings of issue 15 on tokens, against a real signer (jose) and a JWKS served over
 * loopback the way an IdP serves it. Each test fails on the code before the fix.
 */
const AUDIENCE = 'api://crossgate';
let privateKey: CryptoKey;
let jwk: JWK;
let idp: ListeningServer;
/** What the JWKS endpoint does next: 'ok', or fail the next N requests with 503. */
let failNext = 0;
let jwksRequests = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  idp = await listenOn(
    createServer((request, response) => {
      jwksRequests += 1;
      if (request.url !== '/jwks') {
        response.writeHead(404).end();
        return;
      }
      if (failNext > 0) {
        failNext -= 1;
        response.writeHead(503).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    }),
    '127.0.0.1',
  );
});

afterAll(async () => {
  await idp?.close();
});

function issuerUrl(): string {
  return `${idp.url}/issuer`;
}

function verifierFor(
  options: { maxLifetimeSeconds?: number; cache?: VerifiedTokenCache } = {},
): TokenVerifier {
  return TokenVerifier.create(
    {
      issuers: [
        issuerSchema.parse({
          type: 'oidc',
          name: 'test-idp',
          issuer: issuerUrl(),
          audience: [AUDIENCE],
          jwksUri: `${idp.url}/jwks`,
          ...(options.maxLifetimeSeconds ? { maxLifetimeSeconds: options.maxLifetimeSeconds } : {}),
        }),
      ],
      jwks: jwksSchema.parse({ timeoutMs: 1000, totalTimeoutMs: 3000 }),
      auth: authSchema.parse({}),
    },
    options.cache ? { verifiedTokens: options.cache } : {},
  );
}

async function sign(claims: Record<string, unknown>, omit: string[] = []): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = Object.fromEntries(
    Object.entries({
      iss: issuerUrl(),
      aud: AUDIENCE,
      sub: 'svc',
      iat: now,
      exp: now + 600,
      ...claims,
    }).filter(([name]) => !omit.includes(name)),
  );
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
}

async function detailOf(verifier: TokenVerifier, token: string): Promise<string> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as InvalidTokenError).detail;
}

describe('TokenVerifier hardening (issue 15)', () => {
  it('happy flow: a validly signed one-hour token is accepted and remembered once', async () => {
    const cache = new VerifiedTokenCache();
    const verifier = verifierFor({ cache });
    const token = await sign({});
    expect((await verifier.verify(token)).subject).toBe('svc');
    expect((await verifier.verify(token)).subject).toBe('svc');
    expect(cache.size).toBe(1);
  });

  it('error flow: a validly signed token without exp is refused', async () => {
    expect(await detailOf(verifierFor(), await sign({}, ['exp']))).toBe(
      'token has no expiry (exp)',
    );
  });

  it('error flow: a token living longer than 24 h (default) is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await detailOf(verifierFor(), await sign({ iat: now, exp: now + 86_401 }))).toBe(
      'token lifetime exceeds 86400 seconds',
    );
  });

  it("error flow: the issuer's own maxLifetimeSeconds applies", async () => {
    const now = Math.floor(Date.now() / 1000);
    const strict = verifierFor({ maxLifetimeSeconds: 300 });
    expect(await detailOf(strict, await sign({ iat: now, exp: now + 3600 }))).toBe(
      'token lifetime exceeds 300 seconds',
    );
    expect((await strict.verify(await sign({ iat: now, exp: now + 300 }))).subject).toBe('svc');
  });

  it('error flow: padded and bit-twiddled strings of one good token are refused and never cached', async () => {
    const cache = new VerifiedTokenCache();
    const verifier = verifierFor({ cache });
    const token = await sign({});
    // Stored on its second verification (token-doorkeeper.ts).
    await verifier.verify(token);
    await verifier.verify(token);
    expect(cache.size).toBe(1);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = [...alphabet]
      .map((c) => signature.slice(0, -1) + c)
      .filter(
        (s) =>
          s !== signature &&
          Buffer.from(s, 'base64url').equals(Buffer.from(signature, 'base64url')),
      );
    const variants = [
      `${token}=`,
      `${token}==`,
      `${header}.${payload}=.${signature}`,
      ...sameBytes.map((s) => `${header}.${payload}.${s}`),
    ];
    // The adversarial run found 17 accepted strings of one token.
    expect(variants.length).toBeGreaterThanOrEqual(17);
    for (const variant of variants) {
      expect(await detailOf(verifier, variant)).toBe(
        'token is not in canonical base64url encoding',
      );
    }
    expect(cache.size).toBe(1);
  });

  it('error flow: nothing is cached for a token that fails', async () => {
    const cache = new VerifiedTokenCache();
    const verifier = verifierFor({ cache });
    const token = await sign({ aud: 'someone-else' });
    expect(await detailOf(verifier, token)).toBe('token audience is not accepted');
    const forged = `${(await sign({})).split('.').slice(0, 2).join('.')}.${'A'.repeat(342)}`;
    expect(await detailOf(verifier, forged)).toBe('token signature is invalid');
    expect(cache.size).toBe(0);
  });

  it('happy flow: a JWKS fetch that fails once is retried with jitter, and the token verifies', async () => {
    const verifier = verifierFor();
    failNext = 1;
    const before = jwksRequests;
    expect((await verifier.verify(await sign({}))).subject).toBe('svc');
    expect(jwksRequests - before).toBe(2);
  });

  it('error flow: a JWKS endpoint down for both attempts gives 503 within the total timeout', async () => {
    const verifier = verifierFor();
    failNext = 2;
    const started = Date.now();
    const error = await verifier.verify(await sign({})).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(Date.now() - started).toBeLessThan(3000);
    failNext = 0;
  });

  it('error flow: a 404 from the JWKS endpoint is not retried', async () => {
    let attempts = 0;
    const fetcher = new JwksFetcher({ observer: { onFetch: () => (attempts += 1) } });
    await expect(fetcher.fetch(`${idp.url}/missing`)).rejects.toThrow(/404/);
    expect(attempts).toBe(1);
  });
});
