import * as z from 'zod';
import { gcpSchema } from '../gcp/gcp-schema';
import { requirementSchema } from '../policy/requirement-schema';
import { columnMasksSchema } from './column-mask';
import { formatSpannerType, parseSpannerType } from './spanner-type';
import { isDmlKeyword, isQueryKeyword, scanSql, type SqlDialect } from './sql-scan';

/** A declared parameter type: INT64, FLOAT64, BOOL, STRING, BYTES, DATE, TIMESTAMP, NUMERIC, JSON or ARRAY<one of them>. */
const paramTypeSchema = z.string().transform((text, ctx) => {
  const type = parseSpannerType(text);
  if (!type) {
    ctx.addIssue({
      code: 'custom',
      message: `unsupported type "${text}"; use INT64, FLOAT64, BOOL, STRING, BYTES, DATE, TIMESTAMP, NUMERIC, JSON or ARRAY<...> of them`,
    });
    return z.NEVER;
  }
  return formatSpannerType(type);
});

/**
 * Read staleness (https://cloud.google.com/spanner/docs/timestamp-bounds). Absent: a strong
 * read. `exactSeconds`: the data as of that long ago, which any replica can serve without
 * waiting for the leader. Bounded (max) staleness is not offered: Spanner allows it only in
 * single-use transactions, and the Node client's single-use stream cannot be ended early
 * (row limit, deadline) without leaking its session.
 */
const stalenessSchema = z.strictObject({ exactSeconds: z.number().positive().max(3600) });

/** One named statement reachable at `POST /spanner/{name}`. No other SQL ever runs. */
export const spannerStatementSchema = z.strictObject({
  /** One SQL statement with `@name` placeholders (`$1`, `$2`, ... for PostgreSQL databases). */
  sql: z.string().min(1),
  /**
   * Spanner type of each parameter, by name. For PostgreSQL databases `$n` is the n-th
   * parameter declared here, in order.
   */
  params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/), paramTypeSchema).default({}),
  /** `read`: a query in a read-only snapshot. `write`: DML in a read-write transaction. */
  mode: z.enum(['read', 'write']),
  /** Only for `read`: how stale the snapshot may be; a strong read when absent. */
  staleness: stalenessSchema.optional(),
  policy: requirementSchema,
  /**
   * `read`: at most this many rows are returned, then `truncated` is true. `write`: a statement
   * that would change more rows is rolled back with 409.
   */
  rowLimit: z.number().int().positive().max(100_000).default(1000),
  /** Upper bound of one execution, retries included; the Lambda's remaining time may cut it. */
  timeoutMs: z.number().int().positive().max(900_000).optional(),
  /** Audit parameter values too, not only their names. Only for values that are not sensitive. */
  auditParamValues: z.boolean().default(false),
  /**
   * Result columns masked for callers who do not meet the mask's `unless` (column-mask.ts):
   * `{ "Email": { "unless": { "group": "admins" }, "as": "partial" } }`. Applied to every row
   * before encoding. `hash` needs the section's `maskKeySecretId`.
   */
  mask: columnMasksSchema.optional(),
});

export type SpannerStatementConfig = z.infer<typeof spannerStatementSchema>;

export const spannerSchema = z
  .strictObject({
    projectId: z.string().min(1),
    instanceId: z.string().min(1),
    databaseId: z.string().min(1),
    /**
     * The Google identity for Spanner's data API (a data-only role). Required in AWS; offline
     * the emulator takes no credentials.
     */
    gcp: gcpSchema.optional(),
    /** The database's dialect; decides the placeholder syntax. */
    dialect: z.enum(['GOOGLE_STANDARD_SQL', 'POSTGRESQL']).default('GOOGLE_STANDARD_SQL'),
    /**
     * `host:port` of a Spanner emulator (offline and tests). Only the endpoint differs: the
     * client then speaks plaintext gRPC without credentials, as the emulator expects.
     */
    emulatorHost: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'host:port, without a scheme')
      .optional(),
    /** Default upper bound of one statement, when the statement sets none. */
    timeoutMs: z.number().int().positive().max(900_000).default(10_000),
    /**
     * The Spanner client's built-in metrics export (to Cloud Monitoring). Off by default: it
     * probes the GCE metadata server, which Lambda does not have.
     */
    builtInMetrics: z.boolean().default(false),
    /** Sessions kept by the pool when multiplexed sessions are off (emulator). */
    sessionPool: z
      .strictObject({
        min: z.number().int().nonnegative().default(1),
        max: z.number().int().positive().default(10),
      })
      .prefault({}),
    /**
     * Secrets Manager id of the deployment's mask key (a string of at least 32 bytes), the
     * HMAC key of `hash` masks. Required when any statement masks with `hash`; read (and
     * cached) only when a hash mask applies to the caller.
     */
    maskKeySecretId: z.string().min(1).optional(),
    statements: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/), spannerStatementSchema),
  })
  .superRefine((spanner, ctx) => {
    for (const [name, statement] of Object.entries(spanner.statements)) {
      if (statement.mask && statement.mode === 'write') {
        ctx.addIssue({
          code: 'custom',
          path: ['statements', name, 'mask'],
          message: 'mask applies to read statements only (a write returns no rows)',
        });
      }
      const hashes = Object.values(statement.mask ?? {}).some((mask) => mask.as === 'hash');
      if (hashes && !spanner.maskKeySecretId) {
        ctx.addIssue({
          code: 'custom',
          path: ['statements', name, 'mask'],
          message: 'a hash mask needs spanner.maskKeySecretId (the deployment mask key)',
        });
      }
    }
    for (const [name, statement] of Object.entries(spanner.statements)) {
      for (const message of statementProblems(statement, spanner.dialect)) {
        ctx.addIssue({ code: 'custom', path: ['statements', name], message });
      }
    }
  });

export type SpannerConfig = z.infer<typeof spannerSchema>;

/** What is wrong with a statement's SQL against its declared parameters and mode. */
export function statementProblems(
  statement: SpannerStatementConfig,
  dialect: SqlDialect,
): string[] {
  const problems: string[] = [];
  const scan = scanSql(statement.sql, dialect);
  if (scan.unterminated) return [`sql has an unterminated ${scan.unterminated}`];
  if (scan.multipleStatements) problems.push('sql must be exactly one statement');

  const declared = Object.keys(statement.params);
  if (dialect === 'POSTGRESQL') {
    for (const placeholder of scan.placeholders) {
      const index = Number(placeholder);
      if (index < 1 || index > declared.length) {
        problems.push(
          `sql uses $${placeholder} but only ${declared.length} parameter(s) are declared in params`,
        );
      }
    }
    declared.forEach((param, index) => {
      if (!scan.placeholders.includes(String(index + 1))) {
        problems.push(`params.${param} is declared but the sql never uses $${index + 1}`);
      }
    });
  } else {
    for (const placeholder of scan.placeholders) {
      if (!declared.includes(placeholder)) {
        problems.push(`sql uses @${placeholder} but params declares no type for it`);
      }
    }
    for (const param of declared) {
      if (!scan.placeholders.includes(param)) {
        problems.push(`params.${param} is declared but the sql never uses @${param}`);
      }
    }
  }

  const keyword = scan.leadingKeyword;
  if (statement.mode === 'write' && !isDmlKeyword(keyword)) {
    problems.push(
      isQueryKeyword(keyword)
        ? `mode is write but the sql is a query (${keyword}); use mode read`
        : `mode is write but the sql is not INSERT, UPDATE or DELETE`,
    );
  }
  if (statement.mode === 'read' && !isQueryKeyword(keyword)) {
    problems.push(
      isDmlKeyword(keyword)
        ? `mode is read but the sql is DML (${keyword}); use mode write`
        : `mode is read but the sql is not a query`,
    );
  }
  if (statement.mode === 'write' && statement.staleness) {
    problems.push('staleness applies to read statements only');
  }
  return problems;
}
