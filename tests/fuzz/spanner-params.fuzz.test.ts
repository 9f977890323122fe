import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindParams } from '../../shared/spanner/param-values';
import { readStatementParams } from '../../shared/spanner/request-body';
import { SCALAR_TYPES } from '../../shared/spanner/spanner-type';
import { httpApiEvent } from '../helpers/lambda-event';
import { fuzzParameters, outcomeOf } from './fuzz-kit';

/** Every scalar type config may declare, and arrays of a few of them. */
const TYPES = [
  ...SCALAR_TYPES,
  ...(['INT64', 'STRING', 'TIMESTAMP', 'BYTES'] as const).map((type) => `ARRAY<${type}>`),
];

/** Values near each type's edges, plus anything JSON can say. */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '9223372036854775807',
    '9223372036854775808',
    '-9223372036854775809',
    '1e3',
    '0x10',
    ' 1',
    '2024-02-30',
    '2024-13-01',
    '0000-01-01',
    '2024-01-01T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00:00.1234567890Z',
    'AAA=',
    'AA==',
    'A===',
    '====',
    'NaN',
    'Infinity',
    '-0',
    '1.',
    '.5',
    '+1',
    '',
    '\u0000',
    '\ud800',
  ),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)), {
    maxLength: 4,
  }),
);

describe('fuzz: Spanner parameter decoding', () => {
  it('any parameters bind or are refused with a 400 naming them', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom(...TYPES), { maxKeys: 3 }),
        fc.oneof(
          fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', '__proto__'), value, { maxKeys: 4 }),
          value,
        ),
        fc.constantFrom('GOOGLE_STANDARD_SQL' as const, 'POSTGRESQL' as const),
        (declared, given, dialect) => {
          const outcome = outcomeOf(() => bindParams(declared, given, dialect));
          if ('error' in outcome) {
            expect(outcome.error.status).toBe(400);
            return;
          }
          // Every declared parameter is bound, with a type, and nothing else is.
          expect(Object.keys(outcome.value.params)).toHaveLength(Object.keys(declared).length);
          expect(Object.keys(outcome.value.types)).toHaveLength(Object.keys(declared).length);
        },
      ),
      fuzzParameters,
    );
  });

  it('any request body gives params or a 4xx', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
          fc.string({ maxLength: 100 }),
          fc.constantFrom(
            '{"params":{"id":12345678901234567890}}',
            '{"params":1e999}',
            '{"params":{"a":-0}}',
          ),
        ),
        (body) => {
          outcomeOf(() => readStatementParams(httpApiEvent('POST /spanner/q', { body })));
        },
      ),
      fuzzParameters,
    );
  });
});
