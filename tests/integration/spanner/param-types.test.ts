import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/errors';
import { createSpanner, type SpannerHandle } from '../../../shared/spanner/spanner-client';
import type { ReadResult } from '../../../shared/spanner/statement-runner';
import { createTestDatabase, execute, testSpannerConfig } from '../../helpers/spanner';

const scalarTypes = [
  'BOOL',
  'INT64',
  'FLOAT64',
  'NUMERIC',
  'STRING',
  'BYTES',
  'DATE',
  'TIMESTAMP',
  'JSON',
] as const;
const allTypes = [...scalarTypes, ...scalarTypes.map((type) => `ARRAY<${type}>`)];
const statementName = (type: string) => `echo_${type.replace(/[<>]/g, '_')}`;

/** `SELECT @v AS v` per type: the value goes to Spanner typed and comes back from it. */
const echoStatements = Object.fromEntries(
  allTypes.map((type) => [
    statementName(type),
    { sql: 'SELECT @v AS v', params: { v: type }, mode: 'read' },
  ]),
);

describe('Spanner parameter types against the emulator', () => {
  let handle: SpannerHandle;
  let config: ReturnType<typeof testSpannerConfig>;

  beforeAll(async () => {
    const databaseId = await createTestDatabase([
      `CREATE TABLE AllTypes (
        Id INT64 NOT NULL, B BOOL, I INT64, F FLOAT64, N NUMERIC, S STRING(MAX), Bt BYTES(MAX),
        D DATE, T TIMESTAMP, J JSON, Ia ARRAY<INT64>, Sa ARRAY<STRING(MAX)>, Ta ARRAY<TIMESTAMP>
      ) PRIMARY KEY (Id)`,
    ]);
    config = testSpannerConfig(databaseId, {
      ...echoStatements,
      insertAll: {
        sql: 'INSERT INTO AllTypes (Id, B, I, F, N, S, Bt, D, T, J, Ia, Sa, Ta) VALUES (@id, @b, @i, @f, @n, @s, @by, @d, @t, @j, @ia, @sa, @ta)',
        params: {
          id: 'INT64',
          b: 'BOOL',
          i: 'INT64',
          f: 'FLOAT64',
          n: 'NUMERIC',
          s: 'STRING',
          by: 'BYTES',
          d: 'DATE',
          t: 'TIMESTAMP',
          j: 'JSON',
          ia: 'ARRAY<INT64>',
          sa: 'ARRAY<STRING>',
          ta: 'ARRAY<TIMESTAMP>',
        },
        mode: 'write',
      },
      readAll: {
        sql: 'SELECT Id, B, I, F, N, S, Bt, D, T, J, Ia, Sa, Ta FROM AllTypes WHERE Id = @id',
        params: { id: 'INT64' },
        mode: 'read',
      },
    });
    handle = createSpanner({ config });
  });

  afterAll(async () => {
    await handle?.database.close();
  });

  const echo = async (type: string, valueJson: string) => {
    const result = (await execute(
      handle,
      config,
      statementName(type),
      `{"v": ${valueJson}}`,
    )) as ReadResult;
    expect(result.columns).toEqual([{ name: 'v', type }]);
    return result.rows[0]?.[0];
  };

  it.each([
    ['BOOL', 'true', true],
    ['INT64', '"9007199254740993"', '9007199254740993'],
    ['INT64', '9007199254740993', '9007199254740993'],
    ['INT64', '-9223372036854775808', '-9223372036854775808'],
    ['INT64', '9223372036854775807', '9223372036854775807'],
    ['FLOAT64', '-0.25', -0.25],
    ['FLOAT64', '1e300', 1e300],
    ['FLOAT64', '"NaN"', 'NaN'],
    ['FLOAT64', '"-Infinity"', '-Infinity'],
    [
      'NUMERIC',
      '"99999999999999999999999999999.999999999"',
      '99999999999999999999999999999.999999999',
    ],
    ['NUMERIC', '"-0.5"', '-0.5'],
    ['NUMERIC', '12.25', '12.25'],
    ['STRING', '"grüße, 世界"', 'grüße, 世界'],
    ['BYTES', '"AAEC/w=="', 'AAEC/w=='],
    ['DATE', '"0001-01-01"', '0001-01-01'],
    ['DATE', '"9999-12-31"', '9999-12-31'],
    ['TIMESTAMP', '"2024-05-01T12:00:00.123456789Z"', '2024-05-01T12:00:00.123456789Z'],
    ['TIMESTAMP', '"2024-05-01T12:00:00.5Z"', '2024-05-01T12:00:00.500000000Z'],
    ['TIMESTAMP', '"2024-05-01T14:00:00+02:00"', '2024-05-01T12:00:00.000000000Z'],
    ['JSON', '{"a": [1, 2.5, {"b": null}], "c": "d"}', { a: [1, 2.5, { b: null }], c: 'd' }],
    ['JSON', '"just a string"', 'just a string'],
    ['ARRAY<INT64>', '["1", null, 9007199254740993]', ['1', null, '9007199254740993']],
    ['ARRAY<STRING>', '["a", "", null]', ['a', '', null]],
    ['ARRAY<BOOL>', '[true, false]', [true, false]],
    ['ARRAY<FLOAT64>', '[1.5, "Infinity"]', [1.5, 'Infinity']],
    ['ARRAY<NUMERIC>', '["1.000000001"]', ['1.000000001']],
    ['ARRAY<BYTES>', '["aGk="]', ['aGk=']],
    ['ARRAY<DATE>', '["2024-02-29"]', ['2024-02-29']],
    ['ARRAY<TIMESTAMP>', '["1970-01-01T00:00:00.000000001Z"]', ['1970-01-01T00:00:00.000000001Z']],
    ['ARRAY<JSON>', '[{"k": 1}, null]', [{ k: 1 }, null]],
    ['INT64', 'null', null],
    ['ARRAY<INT64>', '[]', []],
  ])('happy flow: %s %s round-trips through Spanner', async (type, valueJson, expected) => {
    expect(await echo(type, valueJson)).toEqual(expected);
  });

  it('happy flow: every type round-trips through a table, write then read', async () => {
    const params = {
      id: '42',
      b: false,
      i: '-9007199254740993',
      f: 3.5,
      n: '0.000000001',
      s: 'x',
      by: 'AP8=',
      d: '2000-02-29',
      t: '2000-01-01T00:00:00.5Z',
      j: { nested: { list: [true] } },
      ia: ['1', '2'],
      sa: ['p', null],
      ta: ['2001-02-03T04:05:06.000007Z'],
    };
    expect(await execute(handle, config, 'insertAll', JSON.stringify({ ...params }))).toEqual({
      rowCount: 1,
    });
    const read = (await execute(handle, config, 'readAll', '{"id": 42}')) as ReadResult;
    expect(read.columns.map((column) => column.type)).toEqual([
      'INT64',
      'BOOL',
      'INT64',
      'FLOAT64',
      'NUMERIC',
      'STRING',
      'BYTES',
      'DATE',
      'TIMESTAMP',
      'JSON',
      'ARRAY<INT64>',
      'ARRAY<STRING>',
      'ARRAY<TIMESTAMP>',
    ]);
    expect(read.rows).toEqual([
      [
        '42',
        false,
        '-9007199254740993',
        3.5,
        '0.000000001',
        'x',
        'AP8=',
        '2000-02-29',
        '2000-01-01T00:00:00.500000000Z',
        { nested: { list: [true] } },
        ['1', '2'],
        ['p', null],
        ['2001-02-03T04:05:06.000007000Z'],
      ],
    ]);
  });

  it.each([
    ['INT64', '"12a"', 'must be an integer'],
    ['INT64', '9223372036854775808', 'out of range for INT64'],
    ['INT64', '1.5', 'must be an integer'],
    ['FLOAT64', '1e400', 'out of range for FLOAT64'],
    ['FLOAT64', '"1.5"', 'must be a number'],
    ['NUMERIC', '"123456789012345678901234567890"', 'out of range for NUMERIC'],
    ['NUMERIC', '"1.0000000001"', 'at most 9 digits'],
    ['BOOL', '"true"', 'must be true or false'],
    ['BYTES', '"not base64!"', 'base64'],
    ['DATE', '"2023-02-29"', 'out of range for DATE'],
    ['TIMESTAMP', '"2024-05-01 12:00:00"', 'RFC 3339'],
    ['STRING', '5', 'must be a string'],
    ['ARRAY<INT64>', '"1"', 'must be an array'],
    ['ARRAY<INT64>', '["1", "x"]', '[1] must be an integer'],
  ])('error flow: %s %s is a 400 naming params.v', async (type, valueJson, reason) => {
    const failure = await execute(handle, config, statementName(type), `{"v": ${valueJson}}`).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ValidationError);
    const error = failure as ValidationError;
    expect(error.status).toBe(400);
    expect(error.invalidParams).toEqual([
      { name: 'params.v', reason: expect.stringContaining(reason) },
    ]);
  });
});
