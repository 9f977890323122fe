import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bearerToken } from '../../shared/auth/bearer-token';
import { fuzzParameters } from './fuzz-kit';

/** What bearerToken replaced, and must keep doing exactly. */
const BEARER = /^Bearer[ ]+([^ ]+)$/i;

/** Scheme spellings near "Bearer": every case mix, cut short, look-alikes from other scripts. */
const scheme = fc.oneof(
  fc
    .array(fc.boolean(), { minLength: 6, maxLength: 6 })
    .map((upper) =>
      [...'bearer'].map((letter, index) => (upper[index] ? letter.toUpperCase() : letter)).join(''),
    ),
  fc.constantFrom(
    'Bearer',
    'bearer',
    'Beare',
    'Bearerr',
    'Basic',
    'ßearer',
    'Bearеr',
    'BEARER\u212a',
  ),
  fc.string({ maxLength: 8 }),
);
const separator = fc.oneof(
  fc.constantFrom(' ', '  ', '   ', '', '\t', ' \t', '\u00a0', ' \n'),
  fc.string({ maxLength: 3 }),
);
const tokenPart = fc.oneof(
  fc.string({ minLength: 0, maxLength: 60 }),
  fc.stringMatching(/^[A-Za-z0-9._~+/=-]{1,80}$/),
  fc.constantFrom('a b', 'a  ', ' a', 'a\tb', 'a\nb', ''),
);
const header = fc.oneof(
  fc.tuple(scheme, separator, tokenPart).map(([a, b, c]) => `${a}${b}${c}`),
  fc.string({ maxLength: 40 }),
);

describe('fuzz: bearer token from an Authorization value', () => {
  it('gives what the regular expression it replaced captures, on any trimmed value', () => {
    fc.assert(
      fc.property(header, (value) => {
        const trimmed = value.trim();
        expect(bearerToken(trimmed)).toBe(BEARER.exec(trimmed)?.[1]);
      }),
      fuzzParameters,
    );
  });

  it('examples: scheme in any case, spaces only between, no space inside', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bEaReR   t')).toBe('t');
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearertoken')).toBeUndefined();
    expect(bearerToken('Bearer\ttoken')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken('Basic dXNlcjp0b2tlbg==')).toBeUndefined();
    // Kelvin sign and Cyrillic е: look-alikes the expression's `i` flag does not fold.
    expect(bearerToken('Bearеr token')).toBeUndefined();
  });
});
