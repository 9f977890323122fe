import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../shared/auth/principal';
import { ConfigurationError, InternalError } from '../../../../shared/errors';
import {
  columnMasksSchema,
  HASH_PREFIX,
  MASKED,
  maskRows,
  maskValue,
  type ColumnMasks,
} from '../../../../shared/spanner/column-mask';

const person = (username: string, groups: string[]): Principal => ({
  subject: `${username}-sub`,
  username,
  groups,
  scopes: [],
  issuer: 'https://issuer',
  issuerName: 'cognito',
  kind: 'person',
});
const alice = person('alice', ['admins', 'release-managers']);
const bob = person('bob', ['developers']);
const opsAgent: Principal = {
  ...person('ops-agent', []),
  scopes: ['spanner:read'],
  kind: 'machine',
};

const key = 'k'.repeat(32);
const columns = [
  { name: 'SingerId', type: 'INT64' },
  { name: 'FirstName', type: 'STRING' },
  { name: 'Email', type: 'STRING' },
];
const rows = [
  ['1', 'Marc', 'marc.richards@example.com'],
  ['2', 'Catalina', null],
];
const masks = (as: 'redact' | 'hash' | 'partial'): ColumnMasks =>
  columnMasksSchema.parse({ Email: { unless: { group: 'admins' }, as } });

describe('columnMasksSchema', () => {
  it('accepts the documented form and refuses an unknown style or member', () => {
    expect(masks('partial')).toEqual({ Email: { unless: { group: 'admins' }, as: 'partial' } });
    expect(
      columnMasksSchema.safeParse({ Email: { unless: { group: 'admins' }, as: 'blur' } }).success,
    ).toBe(false);
    expect(columnMasksSchema.safeParse({ Email: { as: 'redact' } }).success).toBe(false);
    expect(
      columnMasksSchema.safeParse({ Email: { unless: { group: 'admins' }, as: 'hash', salt: 'x' } })
        .success,
    ).toBe(false);
  });

  it('refuses the same column masked twice under two spellings', () => {
    const result = columnMasksSchema.safeParse({
      Email: { unless: { group: 'admins' }, as: 'hash' },
      email: { unless: { group: 'admins' }, as: 'redact' },
    });
    expect(result.success).toBe(false);
  });
});

describe('maskRows', () => {
  it('gives the clear value to a caller who meets `unless`, and names no masked column', () => {
    expect(maskRows(columns, rows, masks('redact'), alice, key)).toEqual({
      rows,
      maskedColumns: [],
    });
  });

  it('redact: a fixed marker for every row, null included, for bob and for the agent', () => {
    for (const caller of [bob, opsAgent]) {
      expect(maskRows(columns, rows, masks('redact'), caller, key)).toEqual({
        rows: [
          ['1', 'Marc', MASKED],
          ['2', 'Catalina', MASKED],
        ],
        maskedColumns: ['Email'],
      });
    }
  });

  it('partial: an email keeps its domain; other text its last 4 characters; short text nothing', () => {
    const { rows: masked } = maskRows(columns, rows, masks('partial'), bob, key);
    expect(masked).toEqual([
      ['1', 'Marc', '***@example.com'],
      ['2', 'Catalina', null],
    ]);
    expect(maskValue('4111111111111111', 'partial')).toBe('***1111');
    expect(maskValue('secret7', 'partial')).toBe('***');
    expect(maskValue(['a@b.org', null], 'partial')).toEqual(['***@b.org', null]);
    expect(maskValue({ nested: 'json' }, 'partial')).toBe(MASKED);
    expect(maskValue(true, 'partial')).toBe(MASKED);
  });

  it('hash: keyed, stable for equal values and keys, different under another key', () => {
    const first = maskRows(columns, rows, masks('hash'), bob, key).rows[0]?.[2];
    const again = maskRows(columns, rows, masks('hash'), opsAgent, key).rows[0]?.[2];
    const otherKey = maskRows(columns, rows, masks('hash'), bob, 'z'.repeat(32)).rows[0]?.[2];
    expect(first).toMatch(new RegExp(`^${HASH_PREFIX}[0-9a-f]{32}$`));
    expect(again).toBe(first);
    expect(otherKey).not.toBe(first);
    expect(maskValue('marc.richards@example.com', 'hash', Buffer.from(key))).toBe(first);
    expect(maskValue('other@example.com', 'hash', Buffer.from(key))).not.toBe(first);
  });

  it('matches column names without regard to case, and masks every column of that name', () => {
    const twice = [...columns, { name: 'EMAIL', type: 'STRING' }];
    const { rows: masked, maskedColumns } = maskRows(
      twice,
      [['1', 'Marc', 'a@x.org', 'a@x.org']],
      columnMasksSchema.parse({ email: { unless: { group: 'admins' }, as: 'redact' } }),
      bob,
    );
    expect(masked).toEqual([['1', 'Marc', MASKED, MASKED]]);
    expect(maskedColumns).toEqual(['Email', 'EMAIL']);
  });

  it('does not change the rows it is given', () => {
    const input = rows.map((row) => [...row]);
    maskRows(columns, input, masks('redact'), bob, key);
    expect(input).toEqual(rows);
  });

  it('fails closed when a masked column is missing from the result (an alias would hide it)', () => {
    const aliased = [
      { name: 'SingerId', type: 'INT64' },
      { name: 'Contact', type: 'STRING' },
    ];
    const failure = catchError(() =>
      maskRows(aliased, [['1', 'marc.richards@example.com']], masks('redact'), alice, key),
    );
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect(failure.message).toBe(
      "mask names column Email, which the statement's result does not have",
    );
  });

  it('errors never carry a value: a missing or short hash key, a value that cannot be hashed', () => {
    const missing = catchError(() => maskRows(columns, rows, masks('hash'), bob));
    expect(missing).toBeInstanceOf(ConfigurationError);
    const short = catchError(() => maskRows(columns, rows, masks('hash'), bob, 'short'));
    expect(short).toBeInstanceOf(ConfigurationError);
    // BigInt has no JSON form: hashing it throws inside, the error names only the column.
    const odd = catchError(() =>
      maskRows(columns, [['1', 'Marc', [12345678901234567890n]]], masks('hash'), bob, key),
    );
    expect(odd).toBeInstanceOf(InternalError);
    expect(odd.message).toBe('masking column Email failed');
    expect(odd.cause).toBeUndefined();
    for (const error of [missing, short, odd]) {
      expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(
        /marc\.richards|12345678901234567890|k{32}/,
      );
    }
  });
});

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error('threw something that is not an Error');
  }
  throw new Error('did not throw');
}
