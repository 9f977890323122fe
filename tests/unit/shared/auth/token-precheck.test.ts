import { describe, expect, it } from 'vitest';
import { assertCanonicalJwt } from '../../../../shared/auth/token-precheck';
import { InvalidTokenError } from '../../../../shared/errors';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A canonical token whose signature segment has a given length (mod 4 matters). */
const token = (signatureBytes = 256) =>
  `${encode({ alg: 'RS256', kid: 'k' })}.${encode({ sub: 'a', exp: 1 })}.${Buffer.alloc(
    signatureBytes,
    7,
  ).toString('base64url')}`;
const options = { maxTokenBytes: 8192 };

function rejection(value: string): InvalidTokenError {
  try {
    assertCanonicalJwt(value, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    return error as InvalidTokenError;
  }
  throw new Error(`accepted: ${value}`);
}

describe('assertCanonicalJwt', () => {
  it('happy flow: canonical tokens of every segment length pass', () => {
    for (const bytes of [64, 65, 66, 256])
      expect(() => assertCanonicalJwt(token(bytes), options)).not.toThrow();
  });

  it('error flow: = or == padding on any segment is refused (issue 15: 17 strings of one token)', () => {
    const [header, payload, signature] = token(256).split('.') as [string, string, string];
    for (const padded of [
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}.${signature}==`,
      `${header}=.${payload}.${signature}`,
      `${header}.${payload}==.${signature}`,
    ]) {
      expect(rejection(padded).detail).toBe('token is not in canonical base64url encoding');
    }
  });

  it('error flow: every non-canonical last character of the signature is refused', () => {
    // 256 bytes: 342 characters, 342 % 4 = 2, the last character carries 4 unused bits.
    const good = token(256);
    const last = good.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variants = [...alphabet]
      .filter((c) => c !== last)
      .map((c) => good.slice(0, -1) + c)
      // Variants that decode to the same bytes as the good token: the ones that matter.
      .filter((variant) =>
        Buffer.from(variant.split('.')[2]!, 'base64url').equals(
          Buffer.from(good.split('.')[2]!, 'base64url'),
        ),
      );
    expect(variants).toHaveLength(15);
    for (const variant of variants) {
      expect(rejection(variant).detail).toBe('token is not in canonical base64url encoding');
    }
  });

  it('error flow: a segment of 4n+1 characters is refused (no encoder writes one)', () => {
    expect(rejection(`${token(255)}A`).detail).toBe('token is not in canonical base64url encoding');
  });

  it.each([
    ['two segments', 'a.b'],
    ['four segments', 'aa.bb.cc.dd'],
    ['an empty signature', 'AA.AA.'],
    ['standard base64 characters', 'a+aa.bbbb.cccc'],
    ['a slash', 'aaaa.bb/b.cccc'],
    ['whitespace', 'aaaa.bbbb.cc c'],
    ['non-ASCII', 'aaaa.bbbb.ccé'],
    ['nothing', ''],
  ])('error flow: %s is not a well-formed JWT', (_name, value) => {
    expect(rejection(value).detail).toBe('token is not a well-formed JWT');
  });

  it('error flow: a token over the size limit is refused before it is scanned', () => {
    expect(rejection('a'.repeat(8193)).detail).toBe('token is larger than 8192 bytes');
  });
});
