import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../../shared/errors';
import { generateSigningJwk, initKeySet } from '../../../../shared/assertion/key-rotation';
import {
  assertionKeySetParser,
  parseAssertionKeySet,
  publicPart,
} from '../../../../shared/assertion/key-set';

const ADDED = '2026-12-01T10:00:00.000Z';

function failure(raw: unknown): ConfigurationError {
  try {
    assertionKeySetParser('crossgate/assertion-keys')(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('the key set was accepted');
}

describe('parseAssertionKeySet', () => {
  it('happy flow: a current key, a next key and a retired public key', async () => {
    const current = await generateSigningJwk();
    const next = await generateSigningJwk();
    const old = await generateSigningJwk();
    const set = parseAssertionKeySet({
      current: { addedAt: ADDED, jwk: current },
      next: { addedAt: ADDED, jwk: next },
      retired: [{ retiredAt: ADDED, jwk: publicPart(old) }],
    });
    expect(set.current.kid).toBe(current.kid);
    expect(set.current.privateKey.asymmetricKeyType).toBe('ec');
    expect(set.current.publicJwk).not.toHaveProperty('d');
    expect(set.next?.kid).toBe(next.kid);
    expect(set.retired.map((key) => key.kid)).toEqual([old.kid]);
    expect(set.retired[0]?.retiredAt.toISOString()).toBe(ADDED);
  });

  it('happy flow: next and retired are optional', async () => {
    const set = parseAssertionKeySet(await initKeySet());
    expect(set.next).toBeUndefined();
    expect(set.retired).toEqual([]);
  });

  it('error flow: names the missing current key', () => {
    const error = failure({ next: undefined });
    expect(error.status).toBe(500);
    expect(error.message).toContain('secret crossgate/assertion-keys');
    expect(error.message).toContain('current (invalid_type)');
  });

  it('error flow: names a wrong curve and a missing d, never a key value', async () => {
    const jwk = await generateSigningJwk();
    const { d: _d, ...withoutD } = jwk;
    const error = failure({
      current: { addedAt: ADDED, jwk: { ...jwk, crv: 'P-384' } },
      next: { addedAt: ADDED, jwk: withoutD },
    });
    expect(error.message).toContain('current.jwk.crv');
    expect(error.message).toContain('next.jwk.d');
    expect(error.message).not.toContain(jwk.d);
    expect(error.message).not.toContain(jwk.x);
  });

  it('error flow: an RSA key, unknown members and a bad date are refused by name', async () => {
    const jwk = await generateSigningJwk();
    const error = failure({
      current: { addedAt: 'yesterday', jwk: { ...jwk, kty: 'RSA' } },
      extra: true,
    });
    expect(error.message).toContain('current.addedAt');
    expect(error.message).toContain('current.jwk.kty');
    expect(error.message).toContain('(root) (unrecognized_keys)');
  });

  it('error flow: x/y of one key with d of another is refused without printing either', async () => {
    const a = await generateSigningJwk();
    const b = await generateSigningJwk();
    const error = failure({ current: { addedAt: ADDED, jwk: { ...a, d: b.d } } });
    expect(error.message).toContain('current.jwk x/y do not belong to its private key d');
    expect(error.message).not.toContain(b.d);
  });

  it('error flow: d that is not a P-256 scalar is refused', async () => {
    const jwk = await generateSigningJwk();
    const error = failure({ current: { addedAt: ADDED, jwk: { ...jwk, d: 'AAAA' } } });
    expect(error.message).toContain('current.jwk.d is not a valid P-256 private key');
  });

  it('error flow: a retired key that still holds its private part is refused', async () => {
    const current = await generateSigningJwk();
    const old = await generateSigningJwk();
    const error = failure({
      current: { addedAt: ADDED, jwk: current },
      retired: [{ retiredAt: ADDED, jwk: old }],
    });
    expect(error.message).toContain('retired.0.jwk');
    expect(error.message).not.toContain(old.d);
  });

  it('error flow: two keys under one kid are refused', async () => {
    const current = await generateSigningJwk();
    const next = { ...(await generateSigningJwk()), kid: current.kid };
    const error = failure({
      current: { addedAt: ADDED, jwk: current },
      next: { addedAt: ADDED, jwk: next },
    });
    expect(error.message).toContain('two keys share one kid');
  });

  it('error flow: a key from another curve imported as P-256 is refused', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const jwk = privateKey.export({ format: 'jwk' });
    const error = failure({
      current: { addedAt: ADDED, jwk: { ...jwk, crv: 'P-256', kid: 'k1', alg: 'ES256' } },
    });
    expect(error.message).toContain('current.jwk.d is not a valid P-256 private key');
  });
});

describe('assertionKeySetParser', () => {
  it('happy flow: one parser per secret id, so SecretCache parses each version once', () => {
    expect(assertionKeySetParser('a')).toBe(assertionKeySetParser('a'));
    expect(assertionKeySetParser('a')).not.toBe(assertionKeySetParser('b'));
  });
});
