import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertCanonicalJwt } from '../../shared/auth/token-precheck';
import { fuzzParameters, outcomeOf } from './fuzz-kit';

const options = { maxTokenBytes: 8192 };
const segment = fc
  .uint8Array({ minLength: 1, maxLength: 300 })
  .map((bytes) => Buffer.from(bytes).toString('base64url'));

describe('fuzz: token pre-checks', () => {
  it('what passes is three segments that decode and re-encode to themselves', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.tuple(segment, segment, segment).map((parts) => parts.join('.')),
          // A canonical token with one character changed, added or removed.
          fc
            .tuple(segment, segment, segment, fc.nat(), fc.string({ minLength: 0, maxLength: 2 }))
            .map(([a, b, c, at, insert]) => {
              const token = `${a}.${b}.${c}`;
              const index = at % (token.length + 1);
              return token.slice(0, index) + insert + token.slice(index + 1);
            }),
        ),
        (token) => {
          const outcome = outcomeOf(() => assertCanonicalJwt(token, options));
          if ('error' in outcome) {
            expect(outcome.error.status).toBe(401);
            return;
          }
          const parts = token.split('.');
          expect(parts).toHaveLength(3);
          for (const part of parts) {
            expect(Buffer.from(part, 'base64url').toString('base64url')).toBe(part);
          }
        },
      ),
      fuzzParameters,
    );
  });

  it('every canonical encoding passes (no false refusals)', () => {
    fc.assert(
      fc.property(segment, segment, segment, (a, b, c) => {
        expect(() => assertCanonicalJwt(`${a}.${b}.${c}`, options)).not.toThrow();
      }),
      fuzzParameters,
    );
  });
});
