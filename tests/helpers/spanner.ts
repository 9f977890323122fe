import { randomBytes } from 'node:crypto';
import type { SpannerStackState } from '../../local/services/spanner';
import { provisionDatabase, useEmulatorClientSettings } from '../../local/spanner/provision';
import { spannerSchema, type SpannerConfig } from '../../shared/spanner/config-schema';
import { parseJsonLossless } from '../../shared/spanner/lossless-json';
import { bindParams } from '../../shared/spanner/param-values';
import type { SpannerHandle } from '../../shared/spanner/spanner-client';
import { runRead, runWrite } from '../../shared/spanner/statement-runner';
import { testStack } from './stack';

/** The emulator started by the test stack (local/services/spanner.ts). */
export function stackSpanner(): SpannerStackState {
  const spanner = testStack().spanner as SpannerStackState | undefined;
  if (!spanner) throw new Error('the test stack has no Spanner emulator');
  // The client reads these from the environment; this process talks to the emulator only.
  useEmulatorClientSettings();
  return spanner;
}

/** A fresh database in the stack's emulator instance, so tests never share rows. */
export async function createTestDatabase(
  schema: string[],
  options: { seed?: string[]; dialect?: 'GOOGLE_STANDARD_SQL' | 'POSTGRESQL' } = {},
): Promise<string> {
  const spanner = stackSpanner();
  const databaseId = `t${randomBytes(6).toString('hex')}`;
  await provisionDatabase({
    emulatorHost: spanner.emulatorHost,
    projectId: spanner.projectId,
    instanceId: spanner.instanceId,
    databaseId,
    schema,
    ...options,
  });
  return databaseId;
}

/** A validated spanner config section for a test database, with `{authenticated: true}` policies. */
export function testSpannerConfig(
  databaseId: string,
  statements: Record<string, Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): SpannerConfig {
  const spanner = stackSpanner();
  return spannerSchema.parse({
    projectId: spanner.projectId,
    instanceId: spanner.instanceId,
    databaseId,
    emulatorHost: spanner.emulatorHost,
    ...extra,
    statements: Object.fromEntries(
      Object.entries(statements).map(([name, statement]) => [
        name,
        { policy: { authenticated: true }, ...statement },
      ]),
    ),
  });
}

/**
 * Runs a configured statement the way the handler does: params from a JSON text (parsed
 * losslessly), bound against the declared types, executed with a tag and a deadline.
 */
export async function execute(
  handle: SpannerHandle,
  config: SpannerConfig,
  name: string,
  paramsJson = '{}',
  options: { tag?: string; deadlineMs?: number } = {},
) {
  const statement = config.statements[name];
  if (!statement) throw new Error(`no statement ${name}`);
  const bound = bindParams(statement.params, parseJsonLossless(paramsJson), config.dialect);
  const run = {
    database: handle.database,
    name,
    statement,
    bound,
    tag: options.tag ?? `${name}/test`,
    deadlineMs: options.deadlineMs ?? 10_000,
  };
  return statement.mode === 'read' ? runRead(run) : runWrite(run);
}

/** Google's sample Singers table and three rows, for tests that need a small database. */
export const SINGERS = `CREATE TABLE Singers (
  SingerId INT64 NOT NULL, FirstName STRING(1024), LastName STRING(1024)
) PRIMARY KEY (SingerId)`;
export const SINGERS_SEED = [
  `INSERT INTO Singers (SingerId, FirstName, LastName) VALUES
   (1, 'Marc', 'Richards'), (2, 'Catalina', 'Smith'), (3, 'Alice', 'Trentor')`,
];
