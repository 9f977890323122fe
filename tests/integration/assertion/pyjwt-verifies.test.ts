import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssertionSigner } from '../../../shared/assertion/assertion-signer';
import { addNextKey, initKeySet, promoteNextKey } from '../../../shared/assertion/key-rotation';
import { parseAssertionKeySet, type AssertionKeySet } from '../../../shared/assertion/key-set';
import { startJwksServer, type JwksServer } from './jwks-server';
import { bobPrincipal as bob } from '../../helpers/seed-principals';

/** Debian's python3 with python3-jwt (PyJWT 2.6), not the pyenv one first on PATH. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./verify_assertion.py', import.meta.url));
const ECHO = 'https://echo-abc123-uc.a.run.app';
const OTHER = 'https://other-abc123-uc.a.run.app';

let keySet: AssertionKeySet;
let jwks: JwksServer;
let issuerUrl: string;

function pyjwt(token: string, audience: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      PYTHON,
      [SCRIPT, jwks.jwksUrl, issuerUrl, audience],
      { timeout: 20_000, env: { PATH: '/usr/bin:/bin' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        if (stderr.trim()) return reject(new Error(stderr));
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, out: stdout.trim() });
      },
    );
    child.stdin?.end(token);
  });
}

beforeAll(async () => {
  keySet = parseAssertionKeySet(await initKeySet());
  jwks = await startJwksServer(() => keySet);
  issuerUrl = jwks.url;
});

afterAll(async () => {
  await jwks?.close();
});

describe('PyJWT verifies the assertion against the JWKS over loopback', () => {
  it('happy flow: PyJWKClient finds the kid, and the claims come back', async () => {
    const signer = new AssertionSigner({ issuerUrl, keySet: async () => keySet });
    const { code, out } = await pyjwt(await signer.assertionFor(bob, ECHO), ECHO);
    expect(code).toBe(0);
    const claims = JSON.parse(out) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: issuerUrl,
      aud: ECHO,
      sub: 'cognito|7f3a-uuid',
      username: 'bob',
      email: 'bob@example.com',
      groups: ['developers'],
      kind: 'person',
      issuer: 'cognito',
    });
    expect(jwks.fetches()).toBeGreaterThan(0);
  });

  it('error flow: an assertion for another service is refused (InvalidAudienceError)', async () => {
    const signer = new AssertionSigner({ issuerUrl, keySet: async () => keySet });
    const { code, out } = await pyjwt(await signer.assertionFor(bob, OTHER), ECHO);
    expect(code).toBe(1);
    expect(out).toBe('InvalidAudienceError');
  });

  it('error flow: an expired assertion is refused (ExpiredSignatureError)', async () => {
    const signer = new AssertionSigner({
      issuerUrl,
      keySet: async () => keySet,
      now: () => Date.now() - 600_000,
    });
    const { code, out } = await pyjwt(await signer.assertionFor(bob, ECHO), ECHO);
    expect(code).toBe(1);
    expect(out).toBe('ExpiredSignatureError');
  });

  it('error flow: a changed claim breaks the signature (InvalidSignatureError)', async () => {
    const signer = new AssertionSigner({ issuerUrl, keySet: async () => keySet });
    const [header, payload, signature] = (await signer.assertionFor(bob, ECHO)).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const forged = Buffer.from(JSON.stringify({ ...claims, groups: ['admins'] })).toString(
      'base64url',
    );
    const { code, out } = await pyjwt(`${header}.${forged}.${signature}`, ECHO);
    expect(code).toBe(1);
    expect(out).toBe('InvalidSignatureError');
  });

  it('happy flow: after a rotation PyJWT verifies the new key, and the retired one still verifies', async () => {
    const before = new AssertionSigner({ issuerUrl, keySet: async () => keySet });
    const oldAssertion = await before.assertionFor(bob, ECHO);
    const stored = await initKeySet();
    keySet = parseAssertionKeySet(stored);
    const signedByOld = await new AssertionSigner({
      issuerUrl,
      keySet: async () => keySet,
    }).assertionFor(bob, ECHO);
    const withNext = await addNextKey(stored);
    keySet = parseAssertionKeySet(withNext);
    const promoted = promoteNextKey(withNext, { minPublishedSeconds: 0 });
    keySet = parseAssertionKeySet(promoted);
    const signedByNew = await new AssertionSigner({
      issuerUrl,
      keySet: async () => keySet,
    }).assertionFor(bob, ECHO);
    expect((await pyjwt(signedByNew, ECHO)).code).toBe(0);
    // Retired, still inside its publish window: what it signed still verifies.
    expect((await pyjwt(signedByOld, ECHO)).code).toBe(0);
    // A key no longer in the set at all: PyJWKClient finds no such kid.
    const gone = await pyjwt(oldAssertion, ECHO);
    expect(gone.code).toBe(1);
    expect(gone.out).toBe('PyJWKClientError');
  });
});
