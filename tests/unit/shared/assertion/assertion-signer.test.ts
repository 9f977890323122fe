import { createPublicKey } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { AssertionSigner } from '../../../../shared/assertion/assertion-signer';
import { addNextKey, initKeySet, promoteNextKey } from '../../../../shared/assertion/key-rotation';
import {
  parseAssertionKeySet,
  type AssertionKeySet,
  type AssertionKeySetDocument,
} from '../../../../shared/assertion/key-set';
import { bobPrincipal as bob, ciBotPrincipal as ciBot } from '../../../helpers/seed-principals';

const ISSUER_URL = 'https://gateway.example.com';
const ECHO = 'https://echo-abc123-uc.a.run.app';
const OTHER = 'https://other-abc123-uc.a.run.app';
const START = Date.parse('2026-12-02T10:00:00Z');

let clock: number;
let document: AssertionKeySetDocument;
let keySet: AssertionKeySet;
let keySetReads: number;

/** Signatures made by the signer the test created last (each test makes one). */
let signatures = 0;

function signer(lifetimeSeconds?: number): AssertionSigner {
  signatures = 0;
  return new AssertionSigner({
    onSign: () => {
      signatures += 1;
    },
    issuerUrl: ISSUER_URL,
    ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }),
    keySet: async () => {
      keySetReads += 1;
      return keySet;
    },
    now: () => clock,
  });
}

/** Verifies as a backend would: the public key only, ES256, iss, aud, at the test clock. */
async function verify(token: string, audience: string, set: AssertionKeySet = keySet) {
  const kid = decodeProtectedHeader(token).kid;
  const key = [set.current, set.next].find((candidate) => candidate?.kid === kid);
  if (!key) throw new Error(`no key ${kid}`);
  return jwtVerify(token, createPublicKey(key.privateKey), {
    algorithms: ['ES256'],
    issuer: ISSUER_URL,
    audience,
    currentDate: new Date(clock),
  });
}

beforeEach(async () => {
  clock = START;
  keySetReads = 0;
  document = await initKeySet({ now: () => clock });
  keySet = parseAssertionKeySet(document);
});

describe('AssertionSigner claims', () => {
  it('happy flow: ES256 with the current kid, and every identity claim', async () => {
    const token = await signer().assertionFor(bob, ECHO);
    const { payload, protectedHeader } = await verify(token, ECHO);
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: keySet.current.kid, typ: 'JWT' });
    expect(payload).toEqual({
      iss: ISSUER_URL,
      aud: ECHO,
      iat: START / 1000,
      exp: START / 1000 + 300,
      sub: 'cognito|7f3a-uuid',
      username: 'bob',
      email: 'bob@example.com',
      groups: ['developers'],
      scopes: [],
      kind: 'person',
      issuer: 'cognito',
    });
  });

  it('happy flow: a machine without username or email gets neither claim', async () => {
    const { payload } = await verify(await signer().assertionFor(ciBot, ECHO), ECHO);
    expect(payload.sub).toBe('local-oidc|ci-bot');
    expect(payload.kind).toBe('machine');
    expect(payload.scopes).toEqual(['run:echo', 'gerrit:read']);
    expect(payload).not.toHaveProperty('username');
    expect(payload).not.toHaveProperty('email');
  });

  it('happy flow: the lifetime is configurable', async () => {
    const { payload } = await verify(await signer(120).assertionFor(bob, ECHO), ECHO);
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  it('error flow: an assertion for one service is refused for another (aud)', async () => {
    const token = await signer().assertionFor(bob, ECHO);
    await expect(verify(token, OTHER)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    });
  });

  it('error flow: a lifetime under 2 s is refused at construction', () => {
    expect(() => signer(1)).toThrow(RangeError);
  });
});

describe('AssertionSigner reuse', () => {
  it('happy flow: a returning caller costs zero signatures while more than half the lifetime is left', async () => {
    const gateway = signer();
    const first = await gateway.assertionFor(bob, ECHO);
    expect(signatures).toBe(1);
    for (let i = 0; i < 20; i += 1) {
      clock = START + i * 7_000; // up to 133 s: under half of 300 s
      expect(await gateway.assertionFor(bob, ECHO)).toBe(first);
    }
    expect(signatures).toBe(1);
    expect(keySetReads).toBe(21);
  });

  it('happy flow: at half the lifetime a new assertion is signed, then reused', async () => {
    const gateway = signer();
    const first = await gateway.assertionFor(bob, ECHO);
    clock = START + 150_000;
    const second = await gateway.assertionFor(bob, ECHO);
    expect(second).not.toBe(first);
    expect((await verify(second, ECHO)).payload.iat).toBe((START + 150_000) / 1000);
    clock = START + 200_000;
    expect(await gateway.assertionFor(bob, ECHO)).toBe(second);
    expect(signatures).toBe(2);
  });

  it('happy flow: concurrent first requests share one signature', async () => {
    const gateway = signer();
    const tokens = await Promise.all(
      Array.from({ length: 10 }, () => gateway.assertionFor(bob, ECHO)),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(signatures).toBe(1);
  });

  it('happy flow: another audience, another caller or changed groups each get their own assertion', async () => {
    const gateway = signer();
    const forEcho = await gateway.assertionFor(bob, ECHO);
    const forOther = await gateway.assertionFor(bob, OTHER);
    const forBot = await gateway.assertionFor(ciBot, ECHO);
    const promoted = await gateway.assertionFor({ ...bob, groups: ['developers', 'admins'] }, ECHO);
    expect(new Set([forEcho, forOther, forBot, promoted]).size).toBe(4);
    expect((await verify(promoted, ECHO)).payload.groups).toEqual(['developers', 'admins']);
    expect(signatures).toBe(4);
  });

  it('happy flow: the same subject from two issuers never shares an assertion', async () => {
    const gateway = signer();
    const a = await gateway.assertionFor({ ...ciBot, issuerName: 'okta' }, ECHO);
    const b = await gateway.assertionFor({ ...ciBot, issuerName: 'auth0' }, ECHO);
    expect((await verify(a, ECHO)).payload.sub).toBe('okta|ci-bot');
    expect((await verify(b, ECHO)).payload.sub).toBe('auth0|ci-bot');
  });

  it('happy flow: a clock stepping back never serves a cached assertion from the future', async () => {
    const gateway = signer();
    const first = await gateway.assertionFor(bob, ECHO);
    clock = START - 60_000;
    expect(await gateway.assertionFor(bob, ECHO)).not.toBe(first);
  });

  it('happy flow: after promotion the new current key signs at once, even for a cached caller', async () => {
    const gateway = signer();
    const before = await gateway.assertionFor(bob, ECHO);
    const withNext = await addNextKey(document, { now: () => clock });
    keySet = parseAssertionKeySet(withNext);
    // Published, not signing: the cached assertion under the current kid is still served.
    expect(await gateway.assertionFor(bob, ECHO)).toBe(before);
    clock += 60_000;
    const nextKid = keySet.next!.kid;
    keySet = parseAssertionKeySet(
      promoteNextKey(withNext, { now: () => clock, minPublishedSeconds: 60 }),
    );
    const after = await gateway.assertionFor(bob, ECHO);
    expect(decodeProtectedHeader(after).kid).toBe(nextKid);
    expect((await verify(after, ECHO)).payload.sub).toBe('cognito|7f3a-uuid');
  });
});
