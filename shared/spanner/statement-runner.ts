import type { Database, protos, Snapshot } from '@google-cloud/spanner';
import type { SpannerStatementConfig } from './config-schema';
import { ConflictError, GatewayTimeoutError } from '../errors';
import type { BoundParams } from './param-values';
import { describeType, encodeValue, type ResultColumn } from './result-encoding';
import { mapSpannerError } from './spanner-errors';

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
}

type ResultSetMetadata = protos.google.spanner.v1.IResultSetMetadata;
type Cell = { name: string; value: unknown };

/**
 * Runs a read statement in a read-only snapshot (strong unless the statement configures
 * staleness) and stops reading after rowLimit + 1 rows.
 *
 * The snapshot is taken explicitly rather than through `database.runStream` so that ending
 * early (row limit, deadline) cancels the stream and still returns the session to the pool:
 * the convenience stream offers no way to stop without leaking its session.
 */
export async function runRead(options: RunStatementOptions): Promise<ReadResult> {
  const { database, statement, deadlineMs, name } = options;
  const staleness = statement.staleness;
  const bounds =
    staleness === undefined ? { strong: true } : { exactStaleness: staleness.exactSeconds * 1000 };

  const deadline = Date.now() + deadlineMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new GatewayTimeoutError(`statement ${name} did not finish in time`)),
      deadlineMs,
    );
  });
  const read = (async () => {
    let snapshot: Snapshot;
    try {
      [snapshot] = await database.getSnapshot(bounds);
    } catch (error) {
      throw mapSpannerError(error, name);
    }
    try {
      return await readRows(snapshot, options, Math.max(1, deadline - Date.now()), timeout);
    } finally {
      snapshot.end();
    }
  })();
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function readRows(
  snapshot: Snapshot,
  options: RunStatementOptions,
  timeoutMs: number,
  timeout: Promise<never>,
): Promise<ReadResult> {
  const { statement, bound, tag, name } = options;
  return new Promise<ReadResult>((resolve, reject) => {
    let metadata: ResultSetMetadata | undefined;
    const rows: unknown[][] = [];
    let truncated = false;
    const stream = snapshot.runStream({
      sql: statement.sql,
      params: bound.params,
      types: bound.types,
      json: false,
      requestOptions: { requestTag: tag },
      gaxOptions: { timeout: timeoutMs },
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
    // When the deadline passes first, stop reading (the gRPC call is cancelled) and settle, so
    // that the caller ends the snapshot and the session goes back to the pool.
    timeout.catch((error: unknown) => {
      stream.destroy();
      reject(error);
    });

    stream
      .on('response', (chunk: { metadata?: ResultSetMetadata | null }) => {
        metadata ??= chunk.metadata ?? undefined;
      })
      .on('data', (row: Cell[]) => {
        if (truncated) return;
        if (rows.length >= statement.rowLimit) {
          truncated = true;
          // Destroying the stream cancels the gRPC call: no more rows are fetched.
          stream.destroy();
          resolve(result());
          return;
        }
        const fields = metadata?.rowType?.fields ?? [];
        rows.push(row.map((cell, index) => encodeValue(fields[index]?.type, cell.value)));
      })
      .on('error', (error: unknown) => reject(mapSpannerError(error, name)))
      .on('end', () => resolve(result()));
  });
}

/**
 * Runs a write statement (DML) in a read-write transaction. ABORTED is retried by the client
 * library's transaction runner within the deadline. A statement that changes more rows than
 * its rowLimit is rolled back and answered 409.
 */
export async function runWrite(options: RunStatementOptions): Promise<WriteResult> {
  const { database, statement, bound, tag, deadlineMs, name } = options;
  const deadline = Date.now() + deadlineMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;

  const transaction = database
    .runTransactionAsync(
      { timeout: deadlineMs, requestOptions: { transactionTag: tag } },
      async (transaction) => {
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
        await transaction.commit({ gaxOptions: { timeout: remaining() } });
        return { rowCount };
      },
    )
    .catch((error: unknown) => {
      throw mapSpannerError(error, name);
    });
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new GatewayTimeoutError(`statement ${name} did not finish in time`)),
      deadlineMs,
    );
  });
  try {
    return await Promise.race([transaction, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
