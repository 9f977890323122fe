import type { Database } from '@google-cloud/spanner';
import type { protos } from '@google-cloud/spanner';
import type { SpannerStatementConfig } from '../config/spanner-schema';
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
 * Runs a read statement in a single-use read-only snapshot (one round trip; strong unless the
 * statement configures staleness) and stops reading after rowLimit + 1 rows.
 */
export function runRead(options: RunStatementOptions): Promise<ReadResult> {
  const { database, statement, bound, tag, deadlineMs, name } = options;
  const staleness = statement.staleness;
  const bounds =
    staleness === undefined
      ? { strong: true }
      : 'exactSeconds' in staleness
        ? { exactStaleness: staleness.exactSeconds * 1000 }
        : { maxStaleness: staleness.maxSeconds * 1000 };

  return new Promise<ReadResult>((resolve, reject) => {
    let metadata: ResultSetMetadata | undefined;
    const rows: unknown[][] = [];
    let truncated = false;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };

    const stream = database.runStream(
      {
        sql: statement.sql,
        params: bound.params,
        types: bound.types,
        json: false,
        requestOptions: { requestTag: tag },
        gaxOptions: { timeout: deadlineMs },
      } as Parameters<Database['runStream']>[0],
      bounds,
    );
    const timer = setTimeout(() => {
      finish(() => reject(new GatewayTimeoutError(`statement ${name} did not finish in time`)));
      stream.destroy();
    }, deadlineMs);

    stream
      .on('response', (chunk: { metadata?: ResultSetMetadata | null }) => {
        metadata ??= chunk.metadata ?? undefined;
      })
      .on('data', (row: Cell[]) => {
        if (settled || truncated) return;
        if (rows.length >= statement.rowLimit) {
          truncated = true;
          // Ends the stream early: no more rows are fetched, and the session goes back to the pool.
          stream.end();
          return;
        }
        const fields = metadata?.rowType?.fields ?? [];
        rows.push(row.map((cell, index) => encodeValue(fields[index]?.type, cell.value)));
      })
      .on('error', (error: unknown) => finish(() => reject(mapSpannerError(error, name))))
      .on('end', () =>
        finish(() => {
          const fields = metadata?.rowType?.fields ?? [];
          resolve({
            columns: fields.map((field) => ({
              name: field.name ?? '',
              type: describeType(field.type),
            })),
            rows,
            truncated,
          });
        }),
      );
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
