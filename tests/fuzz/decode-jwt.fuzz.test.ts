import fc from 'fast-check';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { describe, expect, it } from 'vitest';
import { decodeJwt } from '../../shared/auth/decode-jwt';
import { fuzzParameters } from './fuzz-kit';

const segment = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** What aws-jwt-verify's decoder gives, or the error it throws (class and message). */
function outcome(decode: (token: string) => unknown, token: string): unknown {
  try {
    return { value: decode(token) };
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

/** Claims of the names aws-jwt-verify checks, with values of every JSON type. */
const claimValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
);
const claims = fc.dictionary(
  fc.oneof(
    fc.constantFrom('alg', 'kid', 'exp', 'iss', 'sub', 'aud', 'nbf', 'iat', 'scope', 'jti'),
    fc.constantFrom('__proto__', 'constructor', 'toString'),
    fc.string({ maxLength: 10 }),
  ),
  claimValue,
  { maxKeys: 8 },
);
/** A JSON text of a segment: usually an object, sometimes any JSON value or not JSON at all. */
const segmentText = fc.oneof(
  { weight: 6, arbitrary: claims.map((object) => JSON.stringify(object)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":1}}'),
  },
);

describe('fuzz: decodeJwt against aws-jwt-verify', () => {
  it('decodes every token to the same header, payload and parts, or the same error', () => {
    fc.assert(
      fc.property(segmentText, segmentText, fc.base64String({ minLength: 4 }), (h, p, s) => {
        const token = `${segment(h)}.${segment(p)}.${Buffer.from(s, 'base64').toString('base64url') || 'AAAA'}`;
        expect(outcome(decodeJwt, token)).toEqual(outcome(decomposeUnverifiedJwt, token));
      }),
      fuzzParameters,
    );
  });

  it('decodes a token whose header segment it decoded before the same way, from the known header', () => {
    fc.assert(
      fc.property(segmentText, segmentText, segmentText, (h, p1, p2) => {
        const first = `${segment(h)}.${segment(p1)}.AAAA`;
        let known: ReturnType<typeof decodeJwt>;
        try {
          known = decodeJwt(first);
        } catch {
          return; // Only headers that decoded are ever known.
        }
        const second = `${segment(h)}.${segment(p2)}.AAAA`;
        const knownHeaders = new Map([[known.headerB64, Object.freeze(known.header)]]);
        expect(outcome((token) => decodeJwt(token, knownHeaders), second)).toEqual(
          outcome(decomposeUnverifiedJwt, second),
        );
      }),
      fuzzParameters,
    );
  });

  it('never gives a decoded object a prototype other than Object.prototype', () => {
    const token = `${segment('{"alg":"RS256","__proto__":{"polluted":1}}')}.${segment('{"constructor":{"prototype":{"x":1}},"sub":"a"}')}.AAAA`;
    const { header, payload } = decodeJwt(token);
    expect(Object.getPrototypeOf(header)).toBe(Object.prototype);
    expect(Object.hasOwn(header, '__proto__')).toBe(false);
    expect(Object.hasOwn(payload, 'constructor')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
