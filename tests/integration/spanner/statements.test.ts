import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ConfigurationError,
  ConflictError,
  GatewayTimeoutError,
} from '../../../shared/errors';
import { spannerTag } from '../../../shared/spanner/request-tags';
import { createSpanner, type SpannerHandle } from '../../../shared/spanner/spanner-client';
import type { ReadResult } from '../../../shared/spanner/statement-runner';
import {
  createTestDatabase,
  execute,
  SINGERS,
  SINGERS_SEED as SEED,
  testSpannerConfig,
} from '../../helpers/spanner';
import { startSpannerProxy, type SpannerProxy } from '../../helpers/spanner-proxy';

const statements = {
  listSingers: {
    sql: 'SELECT SingerId, FirstName FROM Singers ORDER BY SingerId',
    mode: 'read',
    rowLimit: 2,
  },
  countSingers: { sql: 'SELECT COUNT(*) AS n FROM Singers', mode: 'read' },
  countSingersStale: {
    sql: 'SELECT COUNT(*) AS n FROM Singers',
    mode: 'read',
    staleness: { exactSeconds: 5 },
  },
  addSinger: {
    sql: 'INSERT INTO Singers (SingerId, FirstName, LastName) VALUES (@id, @firstName, @lastName)',
    params: { id: 'INT64', firstName: 'STRING', lastName: 'STRING' },
    mode: 'write',
    rowLimit: 1,
  },
  renameAll: {
    sql: 'UPDATE Singers SET LastName = @lastName WHERE SingerId >= @from',
    params: { lastName: 'STRING', from: 'INT64' },
    mode: 'write',
    rowLimit: 100,
  },
  renameAllLimited: {
    sql: 'UPDATE Singers SET LastName = @lastName WHERE TRUE',
    params: { lastName: 'STRING' },
    mode: 'write',
    rowLimit: 1,
  },
  addNullSinger: { sql: 'INSERT INTO Singers (SingerId) VALUES (NULL)', mode: 'write' },
  castInt: { sql: 'SELECT CAST(@s AS INT64) AS v', params: { s: 'STRING' }, mode: 'read' },
  fromMissingTable: { sql: 'SELECT * FROM NoSuchTable', mode: 'read' },
  slow: {
    sql: 'SELECT COUNT(*) FROM UNNEST(GENERATE_ARRAY(1, 3000)) a, UNNEST(GENERATE_ARRAY(1, 3000)) b',
    mode: 'read',
  },
};

describe('Spanner statements against the emulator', () => {
  let databaseId: string;
  let config: ReturnType<typeof testSpannerConfig>;
  let handle: SpannerHandle;

  beforeAll(async () => {
    databaseId = await createTestDatabase([SINGERS], { seed: SEED });
    config = testSpannerConfig(databaseId, statements);
    handle = createSpanner({ config });
  });
  afterAll(async () => {
    await handle?.database.close();
  });

  it('happy flow: a read returns typed columns and stops at rowLimit with truncated', async () => {
    const result = await execute(handle, config, 'listSingers');
    expect(result).toEqual({
      columns: [
        { name: 'SingerId', type: 'INT64' },
        { name: 'FirstName', type: 'STRING' },
      ],
      rows: [
        ['1', 'Marc'],
        ['2', 'Catalina'],
      ],
      truncated: true,
    });
  });

  it('happy flow: DML reports the rows it changed, and the change is visible', async () => {
    expect(
      await execute(
        handle,
        config,
        'addSinger',
        '{"id": 100, "firstName": "Ann", "lastName": "Lee"}',
      ),
    ).toEqual({ rowCount: 1 });
    expect(
      await execute(handle, config, 'renameAll', '{"lastName": "Renamed", "from": "2"}'),
    ).toEqual({ rowCount: 3 });
    expect(await execute(handle, config, 'renameAll', '{"lastName": "X", "from": 1000}')).toEqual({
      rowCount: 0,
    });
  });

  it('happy flow: a stale read does not see a row committed just now; a strong read does', async () => {
    const count = async (name: string) =>
      Number(((await execute(handle, config, name)) as ReadResult).rows[0]?.[0]);
    const before = await count('countSingers');
    await execute(handle, config, 'addSinger', '{"id": 200, "firstName": "S", "lastName": "T"}');
    expect(await count('countSingers')).toBe(before + 1);
    // 5 seconds ago the row did not exist (the database may not have either: then 0 rows).
    expect(await count('countSingersStale')).toBeLessThan(before + 1);
  });

  it('error flow: a write over its rowLimit is rolled back with 409', async () => {
    const failure = await execute(handle, config, 'renameAllLimited', '{"lastName": "Nope"}').catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConflictError);
    expect((failure as ConflictError).detail).toMatch(
      /would change \d+ rows, more than its limit of 1/,
    );
    const rows = (await execute(handle, config, 'listSingers')) as ReadResult;
    expect(rows.rows.length).toBeGreaterThan(0);
    const all = (await execute(handle, config, 'countSingers')) as ReadResult;
    expect(all.rows[0]?.[0]).not.toBe('0');
  });

  it.each([
    [
      'ALREADY_EXISTS',
      'addSinger',
      '{"id": 1, "firstName": "a", "lastName": "b"}',
      ConflictError,
      409,
      /already|existing/i,
    ],
    ['FAILED_PRECONDITION', 'addNullSinger', '{}', ConflictError, 409, /null value/i],
    ['INVALID_ARGUMENT', 'castInt', '{"s": "abc"}', BadRequestError, 400, /Bad int64 value/],
    ['table missing', 'fromMissingTable', '{}', ConfigurationError, 500, /check spanner\..*config/],
  ])(
    'error flow: %s from Spanner becomes %s',
    async (_code, name, params, errorClass, status, detail) => {
      const failure = await execute(handle, config, name, params).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(errorClass);
      expect((failure as ConflictError).status).toBe(status);
      expect((failure as ConflictError).detail).toMatch(detail);
    },
  );

  it('error flow: a missing database is 500 with a config hint', async () => {
    const missing = testSpannerConfig('nodatabase', statements);
    const other = createSpanner({ config: missing });
    try {
      const failure = await execute(other, missing, 'countSingers').catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ConfigurationError);
      expect((failure as ConfigurationError).detail).toMatch(/Database not found.*databaseId/);
    } finally {
      await other.database.close();
    }
  });

  it('error flow: a statement that outlives its deadline is 504', async () => {
    const failure = await execute(handle, config, 'slow', '{}', { deadlineMs: 50 }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(GatewayTimeoutError);
    expect((failure as GatewayTimeoutError).status).toBe(504);
    // The session went back to the pool: the next read works.
    expect(await execute(handle, config, 'countSingers')).toMatchObject({ truncated: false });
  });
});

describe('Spanner requests on the wire (through a recording gRPC proxy)', () => {
  let proxy: SpannerProxy;
  let config: ReturnType<typeof testSpannerConfig>;
  let handle: SpannerHandle;

  beforeAll(async () => {
    const databaseId = await createTestDatabase([SINGERS], { seed: SEED });
    const direct = testSpannerConfig(databaseId, statements);
    proxy = await startSpannerProxy(direct.emulatorHost as string);
    config = { ...direct, emulatorHost: proxy.host };
    handle = createSpanner({ config });
  });
  afterAll(async () => {
    await handle?.database.close();
    await proxy?.close();
  });

  it('happy flow: reads carry the request tag, writes the request and transaction tag', async () => {
    const correlationId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const readTag = spannerTag('countSingers', correlationId);
    const writeTag = spannerTag('addSinger', correlationId);
    await execute(handle, config, 'countSingers', '{}', { tag: readTag });
    await execute(handle, config, 'addSinger', '{"id": 300, "firstName": "a", "lastName": "b"}', {
      tag: writeTag,
    });

    const tagsOf = (method: string) =>
      proxy.calls
        .filter((call) => call.method === method)
        .map((call) => call.request.requestOptions as Record<string, string> | undefined);
    expect(readTag).toBe(`countSingers/${correlationId}`);
    expect(tagsOf('executeStreamingSql')).toContainEqual(
      expect.objectContaining({ requestTag: readTag }),
    );
    expect([...tagsOf('executeSql'), ...tagsOf('executeStreamingSql')]).toContainEqual(
      expect.objectContaining({ requestTag: writeTag, transactionTag: writeTag }),
    );
    expect(tagsOf('commit')).toContainEqual(expect.objectContaining({ transactionTag: writeTag }));
  });

  it('happy flow: 100 sequential requests create no session after the first few', async () => {
    const sessionRpcs = () => proxy.count('batchCreateSessions') + proxy.count('createSession');
    for (let i = 0; i < 5; i += 1) await execute(handle, config, 'countSingers');
    const afterWarmUp = sessionRpcs();
    expect(afterWarmUp).toBeGreaterThan(0);
    const executed = proxy.count('executeStreamingSql') + proxy.count('executeSql');
    for (let i = 0; i < 100; i += 1) {
      await execute(
        handle,
        config,
        i % 10 === 0 ? 'renameAll' : 'countSingers',
        i % 10 === 0 ? '{"lastName": "L", "from": 1}' : '{}',
      );
    }
    expect(proxy.count('executeStreamingSql') + proxy.count('executeSql') - executed).toBe(100);
    expect(sessionRpcs()).toBe(afterWarmUp);
    expect(proxy.count('deleteSession')).toBe(0);
  });
});

describe('Spanner statements on a PostgreSQL-dialect database', () => {
  it('happy flow: $n binds the n-th declared parameter; numeric and jsonb round-trip', async () => {
    const databaseId = await createTestDatabase(
      ['CREATE TABLE singers (singer_id bigint NOT NULL PRIMARY KEY, name varchar(1024))'],
      { dialect: 'POSTGRESQL', seed: ["INSERT INTO singers (singer_id, name) VALUES (1, 'Marc')"] },
    );
    const config = testSpannerConfig(
      databaseId,
      {
        getSinger: {
          sql: 'SELECT singer_id, name, $2::numeric AS amount, $3::jsonb AS doc FROM singers WHERE singer_id = $1',
          params: { id: 'INT64', amount: 'NUMERIC', doc: 'JSON' },
          mode: 'read',
        },
        addSinger: {
          sql: 'INSERT INTO singers (singer_id, name) VALUES ($1, $2)',
          params: { id: 'INT64', name: 'STRING' },
          mode: 'write',
        },
      },
      { dialect: 'POSTGRESQL' },
    );
    const handle = createSpanner({ config });
    try {
      expect(await execute(handle, config, 'addSinger', '{"id": 2, "name": "Ann"}')).toEqual({
        rowCount: 1,
      });
      const result = (await execute(
        handle,
        config,
        'getSinger',
        '{"id": "1", "amount": "12345678901234567890.0123456789", "doc": {"a": [1]}}',
      )) as ReadResult;
      expect(result.columns.map((column) => column.type)).toEqual([
        'INT64',
        'STRING',
        'NUMERIC',
        'JSON',
      ]);
      expect(result.rows).toEqual([['1', 'Marc', '12345678901234567890.0123456789', { a: [1] }]]);
    } finally {
      await handle.database.close();
    }
  });
});
