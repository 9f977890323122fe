import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  getSinger: {
    sql: 'SELECT SingerId, FirstName FROM Singers WHERE SingerId = @id',
    params: { id: 'INT64' },
    mode: 'read',
  },
  listOne: { sql: 'SELECT SingerId FROM Singers ORDER BY SingerId', mode: 'read', rowLimit: 1 },
  countStale: {
    sql: 'SELECT COUNT(*) AS n FROM Singers',
    mode: 'read',
    staleness: { exactSeconds: 10 },
  },
  rename: {
    sql: 'UPDATE Singers SET LastName = @lastName WHERE SingerId = @id',
    params: { lastName: 'STRING', id: 'INT64' },
    mode: 'write',
  },
};

type Selector = {
  singleUse?: { readOnly?: Record<string, unknown> };
  begin?: { readWrite?: unknown };
  id?: unknown;
};

describe('Spanner round trips per warm request (recording gRPC proxy)', () => {
  let proxy: SpannerProxy;
  let config: ReturnType<typeof testSpannerConfig>;
  let handle: SpannerHandle;

  /** The RPCs one call sends once the client is warm (sessions exist). */
  async function rpcsOf(name: string, params = '{}') {
    const before = proxy.calls.length;
    await execute(handle, config, name, params);
    return proxy.calls.slice(before);
  }

  beforeAll(async () => {
    const databaseId = await createTestDatabase([SINGERS], { seed: SEED });
    const direct = testSpannerConfig(databaseId, statements, { sessionPool: { min: 1, max: 2 } });
    proxy = await startSpannerProxy(direct.emulatorHost as string);
    config = { ...direct, emulatorHost: proxy.host };
    handle = createSpanner({ config });
    // Warm: the pool's sessions exist, as in a warm Lambda container.
    await execute(handle, config, 'getSinger', '{"id": 1}');
    await execute(handle, config, 'rename', '{"lastName": "R", "id": 1}');
  });
  afterAll(async () => {
    await handle?.database.close();
    await proxy?.close();
  });

  it('happy flow: a read is one RPC, a single-use strong read-only transaction', async () => {
    const calls = await rpcsOf('getSinger', '{"id": 2}');
    expect(calls.map((call) => call.method)).toEqual(['executeStreamingSql']);
    const selector = calls[0]?.request.transaction as Selector;
    expect(selector.singleUse?.readOnly).toMatchObject({ strong: true });
    expect(selector.begin).toBeUndefined();
  });

  it('happy flow: a stale read is one RPC, single-use with its exact staleness', async () => {
    const calls = await rpcsOf('countStale');
    expect(calls.map((call) => call.method)).toEqual(['executeStreamingSql']);
    const selector = calls[0]?.request.transaction as Selector;
    expect(selector.singleUse?.readOnly).toMatchObject({
      exactStaleness: { seconds: '10', nanos: 0 },
    });
  });

  it('happy flow: a write is two RPCs, the DML beginning the transaction inline, then Commit', async () => {
    const calls = await rpcsOf('rename', '{"lastName": "Renamed", "id": 2}');
    expect(calls.map((call) => call.method)).toEqual([
      expect.stringMatching(/^executeS(treamingS)?ql$/),
      'commit',
    ]);
    const selector = calls[0]?.request.transaction as Selector;
    expect(selector.begin?.readWrite).toBeDefined();
    expect(calls[1]?.request.transactionId).toBeTruthy();
  });

  it('happy flow: no transaction is begun apart or left open over 50 mixed requests', async () => {
    const before = proxy.calls.length;
    for (let i = 0; i < 50; i += 1) {
      if (i % 5 === 0) await execute(handle, config, 'rename', `{"lastName": "L${i}", "id": 3}`);
      else await execute(handle, config, 'getSinger', '{"id": 3}');
    }
    const methods = proxy.calls.slice(before).map((call) => call.method);
    expect(methods.filter((method) => method === 'beginTransaction')).toEqual([]);
    expect(methods.filter((method) => method === 'rollback')).toEqual([]);
    // Every transaction that began (the 10 writes) committed.
    expect(methods.filter((method) => method === 'commit')).toHaveLength(10);
    expect(methods).toHaveLength(40 + 10 * 2);
  });

  it('happy flow: reads stopped at their row limit give their session back (pool of 2, 20 reads)', async () => {
    const sessions = () => proxy.count('batchCreateSessions') + proxy.count('createSession');
    const before = sessions();
    for (let i = 0; i < 20; i += 1) {
      const result = (await execute(handle, config, 'listOne', '{}', {
        deadlineMs: 5_000,
      })) as ReadResult;
      expect(result).toMatchObject({ rows: [['1']], truncated: true });
    }
    expect(sessions()).toBe(before);
  });
});

describe('Spanner emulator over many reads', () => {
  let handle: SpannerHandle;
  let config: ReturnType<typeof testSpannerConfig>;

  beforeAll(async () => {
    const databaseId = await createTestDatabase([SINGERS], { seed: SEED });
    config = testSpannerConfig(databaseId, statements);
    handle = createSpanner({ config });
  });
  afterAll(async () => {
    await handle?.database.close();
  });

  it('happy flow: 1,000 reads leave the emulator no slower than at the start', async () => {
    const READS = 1_000;
    const stopAt = Date.now() + 90_000;
    const ms: number[] = [];
    for (let i = 0; i < READS && Date.now() < stopAt; i += 1) {
      const started = performance.now();
      await execute(handle, config, 'getSinger', `{"id": ${(i % 3) + 1}}`);
      ms.push(performance.now() - started);
    }
    expect(ms).toHaveLength(READS);
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
    const first = median(ms.slice(0, 100));
    const last = median(ms.slice(-100));
    // Generous: the machine is shared, so only a real drift (transactions piling up in the
    // emulator, as getSnapshot's left-open BeginTransactions did) should trip it.
    expect(last).toBeLessThan(first * 1.5 + 2);
  }, 120_000);
});
