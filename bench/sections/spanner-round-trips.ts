import { randomBytes } from 'node:crypto';
import type { Database } from '@google-cloud/spanner';
import type { SpannerStackState } from '../../local/services/spanner';
import { provisionDatabase, useEmulatorClientSettings } from '../../local/spanner/provision';
import { spannerSchema, type SpannerConfig } from '../../shared/spanner/config-schema';
import { bindParams } from '../../shared/spanner/param-values';
import { createSpanner } from '../../shared/spanner/spanner-client';
import { runRead, runWrite } from '../../shared/spanner/statement-runner';
import { startSpannerProxy } from '../../tests/helpers/spanner-proxy';
import { median, percentile, round } from '../stats';

export interface SpannerRoundTripsResult {
  /** RPCs one warm read / write sends, counted at the recording gRPC proxy. */
  roundTripsRead: number;
  roundTripsWrite: number;
  readMethods: string[];
  writeMethods: string[];
  /** Per-read latency straight to the emulator (no proxy), ms: the runner's single-use read. */
  singleUseReadMedianMs: number;
  singleUseReadP99Ms: number;
  /** The same read the way it was done before: getSnapshot (BeginTransaction), query, end. */
  snapshotReadMedianMs: number;
  snapshotReadP99Ms: number;
  /** Medians of the first and the last 100 of `reads` single-use reads: drift of the emulator. */
  driftFirst100MedianMs: number;
  driftLast100MedianMs: number;
  reads: number;
}

const SCHEMA = [
  `CREATE TABLE Singers (SingerId INT64 NOT NULL, FirstName STRING(1024), LastName STRING(1024)) PRIMARY KEY (SingerId)`,
];
const SEED = [
  `INSERT INTO Singers (SingerId, FirstName, LastName) VALUES (1, 'Marc', 'Richards'), (2, 'Catalina', 'Smith')`,
];

function benchConfig(spanner: SpannerStackState, databaseId: string, host: string): SpannerConfig {
  return spannerSchema.parse({
    projectId: spanner.projectId,
    instanceId: spanner.instanceId,
    databaseId,
    emulatorHost: host,
    statements: {
      getSinger: {
        sql: 'SELECT SingerId, FirstName FROM Singers WHERE SingerId = @id',
        params: { id: 'INT64' },
        mode: 'read',
        policy: { authenticated: true },
      },
      rename: {
        sql: 'UPDATE Singers SET LastName = @lastName WHERE SingerId = @id',
        params: { lastName: 'STRING', id: 'INT64' },
        mode: 'write',
        policy: { authenticated: true },
      },
    },
  });
}

function runner(config: SpannerConfig, database: Database) {
  return (name: string, params: Record<string, unknown>) => {
    const statement = config.statements[name];
    if (!statement) throw new Error(`no statement ${name}`);
    const run = {
      database,
      name,
      statement,
      bound: bindParams(statement.params, params, config.dialect),
      tag: `${name}/bench`,
      deadlineMs: 10_000,
    };
    return statement.mode === 'read' ? runRead(run) : runWrite(run);
  };
}

/** The read path before single-use reads: a snapshot begun apart (BeginTransaction), then the query. */
async function snapshotRead(database: Database, id: number): Promise<void> {
  const [snapshot] = await database.getSnapshot({ strong: true });
  try {
    await snapshot.run({
      sql: 'SELECT SingerId, FirstName FROM Singers WHERE SingerId = @id',
      params: { id },
    });
  } finally {
    snapshot.end();
  }
}

/**
 * Spanner round trips per warm request (through the recording gRPC proxy the tests use), then
 * per-read latency on the emulator for the single-use read against the former snapshot read,
 * interleaved in rounds so that load on a shared machine hits both alike, then `reads`
 * single-use reads for drift.
 */
export async function spannerRoundTrips(
  spanner: SpannerStackState,
  reads = 1_000,
): Promise<SpannerRoundTripsResult> {
  useEmulatorClientSettings();
  const databaseId = `b${randomBytes(6).toString('hex')}`;
  await provisionDatabase({
    emulatorHost: spanner.emulatorHost,
    projectId: spanner.projectId,
    instanceId: spanner.instanceId,
    databaseId,
    schema: SCHEMA,
    seed: SEED,
  });

  const proxy = await startSpannerProxy(spanner.emulatorHost);
  const proxied = benchConfig(spanner, databaseId, proxy.host);
  const viaProxy = createSpanner({ config: proxied });
  const direct = benchConfig(spanner, databaseId, spanner.emulatorHost);
  const straight = createSpanner({ config: direct });
  try {
    const rpcsOf = async (name: string, params: Record<string, unknown>) => {
      const before = proxy.calls.length;
      await runner(proxied, viaProxy.database)(name, params);
      return proxy.calls.slice(before).map((call) => call.method);
    };
    // Warm: sessions exist, as in a warm container.
    for (let i = 0; i < 3; i += 1) {
      await rpcsOf('getSinger', { id: 1 });
      await rpcsOf('rename', { lastName: 'W', id: 2 });
    }
    const readMethods = await rpcsOf('getSinger', { id: 1 });
    const writeMethods = await rpcsOf('rename', { lastName: 'X', id: 2 });

    const run = runner(direct, straight.database);
    const singleUse: number[] = [];
    const snapshot: number[] = [];
    const time = async (samples: number[], task: () => Promise<unknown>) => {
      const started = performance.now();
      await task();
      samples.push(performance.now() - started);
    };
    for (let i = 0; i < 20; i += 1) await run('getSinger', { id: 1 });
    for (let roundIndex = 0; roundIndex < 10; roundIndex += 1) {
      for (let i = 0; i < 30; i += 1) await time(singleUse, () => run('getSinger', { id: 1 }));
      for (let i = 0; i < 30; i += 1)
        await time(snapshot, () => snapshotRead(straight.database, 1));
    }

    const drift: number[] = [];
    for (let i = 0; i < reads; i += 1) await time(drift, () => run('getSinger', { id: 2 }));

    return {
      roundTripsRead: readMethods.length,
      roundTripsWrite: writeMethods.length,
      readMethods,
      writeMethods,
      singleUseReadMedianMs: round(median(singleUse), 2),
      singleUseReadP99Ms: round(percentile(singleUse, 99), 2),
      snapshotReadMedianMs: round(median(snapshot), 2),
      snapshotReadP99Ms: round(percentile(snapshot, 99), 2),
      driftFirst100MedianMs: round(median(drift.slice(0, 100)), 2),
      driftLast100MedianMs: round(median(drift.slice(-100)), 2),
      reads,
    };
  } finally {
    await viaProxy.database.close();
    await straight.database.close();
    await proxy.close();
  }
}

/** Section 6 of the printed report. */
export function spannerReport(result: SpannerRoundTripsResult | undefined): string {
  if (!result) return '6. Spanner round trips: not measured (no emulator in the stack)\n';
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return `6. Spanner round trips per warm request (recording gRPC proxy) and per-read latency (emulator, ms)
   read  ${result.roundTripsRead} (${result.readMethods.join(', ')})   target 1: ${met(result.roundTripsRead === 1)}
   write ${result.roundTripsWrite} (${result.writeMethods.join(', ')})   target 2: ${met(result.roundTripsWrite === 2)}
   single-use read median / p99   ${result.singleUseReadMedianMs} / ${result.singleUseReadP99Ms}
   former snapshot read (BeginTransaction + query)   ${result.snapshotReadMedianMs} / ${result.snapshotReadP99Ms}
   drift over ${result.reads} reads: first 100 median ${result.driftFirst100MedianMs}, last 100 median ${result.driftLast100MedianMs}
`;
}
