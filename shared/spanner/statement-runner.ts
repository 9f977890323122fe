import type { Database, protos, Session, Snapshot } from '@google-cloud/spanner';
import type { SpannerStatementConfig } from './config-schema';
import { ConflictError, GatewayTimeoutError } from '../errors';
import type { BoundParams } from './param-values';
import { describeType, encodeValue, type ResultColumn } from './result-encoding';
import { spannerEndpointOf } from './spanner-client';
import { mapSpannerError } from './spanner-errors';
import { failWhenUnreachable, type SpannerEndpoint } from './spanner-reachability';

export interface ReadResult {
  columns: ResultColumn[];
  /** One array per row, values in column order, in their documented JSON forms. */
  rows: unknown[][];
  /** True when the statement had more rows than its rowLimit. */
  truncated: boolean;
}

export interface WriteResult {
  rowCount: number;
}

export interface RunStatementOptions {
  database: Database;
  /** The statement's name in config; used in errors. */
  name: string;
  statement: SpannerStatementConfig;
  bound: BoundParams;
  /** Request tag, and transaction tag for writes (see request-tags.ts). */
  tag: string;
  /** Time left for the whole execution, retries included. */
  deadlineMs: number;
  /**
   * Where the client connects, checked when a statement is slow so that a refused connection
   * answers 503 at once instead of 504 at the deadline. Default: the endpoint `createSpanner`
   * recorded for this database; without one there is no check.
   */
  endpoint?: SpannerEndpoint;
}

type ResultSetMetadata = protos.google.spanner.v1.IResultSetMetadata;
type Cell = { name: string; value: unknown };
type GrpcError = NonNullable<Session['lastError']>;

/**
 * Runs a read statement as a single-use read-only transaction (strong unless the statement
 * configures staleness): one ExecuteStreamingSql that carries its own timestamp bound, no
 * BeginTransaction before it and nothing left open after it. Stops reading after
 * rowLimit + 1 rows.
 *
 * `database.runStream` would send the same request, but a stream ended early (row limit,
 * deadline) never gives its session back to the pool: it ends the snapshot only when the
 * stream ends. So this does what runStream does (session from the database's own session
 * factory, `session.snapshot(bounds)`, whose `runStream` without `begin()` is single-use) and
 * ends the snapshot and returns the session on every path, including an early stop.
 */
export function runRead(options: RunStatementOptions): Promise<ReadResult> {
  return withinDeadline(options, (settled) => readSingleUse(options, settled));
}

function readSingleUse(options: RunStatementOptions, settled: AbortSignal): Promise<ReadResult> {
  const { database, statement, bound, tag, name, deadlineMs } = options;
  const bounds =
    statement.staleness === undefined
      ? { strong: true }
      : { exactStaleness: statement.staleness.exactSeconds * 1000 };
  const deadline = Date.now() + deadlineMs;
  const sessions = database.sessionFactory_;

  return new Promise<ReadResult>((resolve, reject) => {
    sessions.getSession((error, session) => {
      if (error || !session) {
        reject(mapSpannerError(error, name));
        return;
      }
      // The caller already has its answer (deadline, Spanner unreachable): give it back.
      if (settled.aborted) {
        sessions.release(session);
        return;
      }
      const snapshot: Snapshot = session.snapshot(bounds, database.queryOptions_);
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        snapshot.end();
        sessions.release(session);
      };

      let metadata: ResultSetMetadata | undefined;
      const rows: unknown[][] = [];
      let truncated = false;
      const stream = snapshot.runStream({
        sql: statement.sql,
        params: bound.params,
        types: bound.types,
        json: false,
        requestOptions: { requestTag: tag },
        gaxOptions: { timeout: Math.max(1, deadline - Date.now()) },
      } as Parameters<Snapshot['runStream']>[0]);
      const result = (): ReadResult => {
        const fields = metadata?.rowType?.fields ?? [];
        return {
          columns: fields.map((field) => ({
            name: field.name ?? '',
            type: describeType(field.type),
          })),
          rows,
          truncated,
        };
      };
      // When the caller has its answer first, stop reading: destroying the stream cancels the
      // gRPC call, and the session goes back to the pool.
      settled.addEventListener(
        'abort',
        () => {
          stream.destroy();
          finish();
        },
        { once: true },
      );

      stream
        .on('response', (chunk: { metadata?: ResultSetMetadata | null }) => {
          metadata ??= chunk.metadata ?? undefined;
        })
        .on('data', (row: Cell[]) => {
          if (truncated) return;
          if (rows.length >= statement.rowLimit) {
            truncated = true;
            stream.destroy();
            finish();
            resolve(result());
            return;
          }
          const fields = metadata?.rowType?.fields ?? [];
          rows.push(row.map((cell, index) => encodeValue(fields[index]?.type, cell.value)));
        })
        .on('error', (streamError: GrpcError) => {
          // A session Spanner no longer knows is dropped by the pool instead of reused.
          session.lastError = streamError;
          finish();
          reject(mapSpannerError(streamError, name));
        })
        .on('end', () => {
          finish();
          resolve(result());
        });
    });
  });
}

/**
 * Runs a write statement (DML) in a read-write transaction whose first statement begins it
 * (inline begin: the ExecuteSql carries `begin`), then commits: two RPCs. ABORTED is retried
 * by the client library's transaction runner within the deadline. A statement that changes
 * more rows than its rowLimit is rolled back and answered 409. Once the caller has its
 * answer (deadline, Spanner unreachable), nothing more is executed or committed.
 */
export function runWrite(options: RunStatementOptions): Promise<WriteResult> {
  const { database, statement, bound, tag, deadlineMs, name } = options;
  const deadline = Date.now() + deadlineMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  const gaveUp = () => new GatewayTimeoutError(`statement ${name} did not finish in time`);

  return withinDeadline(options, (settled) =>
    database
      .runTransactionAsync(
        { timeout: deadlineMs, requestOptions: { transactionTag: tag } },
        async (transaction) => {
          if (settled.aborted) throw gaveUp();
          const [rowCount] = await transaction.runUpdate({
            sql: statement.sql,
            params: bound.params,
            types: bound.types,
            requestOptions: { requestTag: tag },
            gaxOptions: { timeout: remaining() },
          } as Parameters<typeof transaction.runUpdate>[0]);
          if (rowCount > statement.rowLimit) {
            await transaction.rollback();
            throw new ConflictError(
              `statement ${name} would change ${rowCount} rows, more than its limit of ${statement.rowLimit}; nothing was changed`,
            );
          }
          if (settled.aborted) {
            await transaction.rollback();
            throw gaveUp();
          }
          await transaction.commit({ gaxOptions: { timeout: remaining() } });
          return { rowCount };
        },
      )
      .catch((error: unknown) => {
        throw mapSpannerError(error, name);
      }),
  );
}

/**
 * Settles with the statement, or 504 at its deadline, or 503 as soon as the Spanner endpoint
 * refuses connections (see spanner-reachability.ts), whichever comes first. `settled` is
 * aborted when the caller has its answer, so the work stops and returns its session.
 */
async function withinDeadline<T>(
  options: RunStatementOptions,
  work: (settled: AbortSignal) => Promise<T>,
): Promise<T> {
  const { name, deadlineMs } = options;
  const settled = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new GatewayTimeoutError(`statement ${name} did not finish in time`)),
      deadlineMs,
    );
  });
  const endpoint = options.endpoint ?? spannerEndpointOf(options.database);
  const racers: Promise<T>[] = [work(settled.signal), timeout];
  if (endpoint) racers.push(failWhenUnreachable({ endpoint, signal: settled.signal }));
  try {
    return await Promise.race(racers);
  } finally {
    clearTimeout(timer);
    settled.abort();
  }
}
