import { describe, expect, it } from 'vitest';
import { assertTokenLifetime } from '../../../../shared/auth/token-lifetime';
import { InvalidTokenError } from '../../../../shared/errors';

const now = 1_800_000_000;
const day = 86_400;

function detailOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as InvalidTokenError).detail;
  }
  throw new Error('accepted');
}

describe('assertTokenLifetime', () => {
  it('happy flow: a one-hour token passes, and one of exactly the limit', () => {
    expect(() => assertTokenLifetime({ iat: now, exp: now + 3600 }, day, now)).not.toThrow();
    expect(() => assertTokenLifetime({ iat: now, exp: now + day }, day, now)).not.toThrow();
  });

  it('error flow: a token without exp is refused (issue 15: it never expired)', () => {
    expect(detailOf(() => assertTokenLifetime({ iat: now }, day, now))).toBe(
      'token has no expiry (exp)',
    );
  });

  it('error flow: exp - iat over the limit is refused', () => {
    expect(detailOf(() => assertTokenLifetime({ iat: now - 10, exp: now + day }, day, now))).toBe(
      `token lifetime exceeds ${day} seconds`,
    );
    expect(detailOf(() => assertTokenLifetime({ iat: now, exp: now + 3600 }, 600, now))).toBe(
      'token lifetime exceeds 600 seconds',
    );
  });

  it('error flow: leaving out iat, or moving it forward, does not stretch the limit', () => {
    expect(detailOf(() => assertTokenLifetime({ exp: now + 2 * day }, day, now))).toBe(
      `token lifetime exceeds ${day} seconds`,
    );
    expect(
      detailOf(() => assertTokenLifetime({ iat: now + day, exp: now + 2 * day }, day, now)),
    ).toBe(`token lifetime exceeds ${day} seconds`);
  });

  it('error flow: a non-numeric exp or iat is refused', () => {
    expect(
      detailOf(() => assertTokenLifetime({ exp: 'soon' as unknown as number }, day, now)),
    ).toBe('token has no expiry (exp)');
  });
});
