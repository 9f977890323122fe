import { readFileSync } from 'node:fs';
import { protos, Spanner } from '@google-cloud/spanner';
import { grpc } from 'google-gax';

/** What the offline Spanner database is called; the Lambda's config gets the same names. */
export const LOCAL_SPANNER = {
  projectId: 'crossgate-local',
  instanceId: 'crossgate',
  databaseId: 'music',
} as const;

export interface ProvisionOptions {
  /** `host:port` of emulator_main. */
  emulatorHost: string;
  projectId: string;
  instanceId: string;
  databaseId: string;
  /** DDL statements. */
  schema: string[];
  /** DML statements run in one read-write transaction. */
  seed?: string[];
  dialect?: 'GOOGLE_STANDARD_SQL' | 'POSTGRESQL';
}

/** A Spanner client for the emulator: plaintext gRPC, no credentials (only the endpoint differs). */
export function emulatorSpanner(emulatorHost: string, projectId: string): Spanner {
  useEmulatorClientSettings();
  const [servicePath, port] = emulatorHost.split(':');
  return new Spanner({
    projectId,
    servicePath,
    port: Number(port),
    sslCreds: grpc.credentials.createInsecure(),
  });
}

/**
 * The Node client's multiplexed sessions crash against the emulator (FACTS.md), and there is
 * no GCE metadata server to probe. The client reads these from the environment; set them in
 * processes that talk to the emulator only (serverless.yml does the same for the dev stage).
 */
export function useEmulatorClientSettings(): void {
  process.env.GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS = 'false';
  process.env.GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW = 'false';
  process.env.METADATA_SERVER_DETECTION = 'none';
}

/** Splits a .sql file into statements: drops `--` comment lines, splits on `;`. */
export function readSqlFile(file: URL): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}

/**
 * Creates the instance (if missing) and a database with its schema, then runs the seed.
 * The emulator keeps everything in memory, so this runs on every start.
 */
export async function provisionDatabase(options: ProvisionOptions): Promise<void> {
  const spanner = emulatorSpanner(options.emulatorHost, options.projectId);
  const instance = spanner.instance(options.instanceId);
  const [exists] = await instance.exists();
  if (!exists) {
    const [, operation] = await spanner.createInstance(options.instanceId, {
      config: 'emulator-config',
      nodes: 1,
      displayName: options.instanceId,
    });
    await operation.promise();
  }
  const postgres = options.dialect === 'POSTGRESQL';
  const [database, operation] = await instance.createDatabase(options.databaseId, {
    ...(postgres
      ? { databaseDialect: protos.google.spanner.admin.database.v1.DatabaseDialect.POSTGRESQL }
      : { schema: options.schema }),
  });
  await operation.promise();
  if (postgres && options.schema.length > 0) {
    // PostgreSQL databases take no DDL at creation.
    const [update] = await database.updateSchema(options.schema);
    await update.promise();
  }
  if (options.seed && options.seed.length > 0) {
    const seed = options.seed;
    await database.runTransactionAsync(async (transaction) => {
      for (const sql of seed) await transaction.runUpdate(sql);
      await transaction.commit();
    });
  }
  // Ends the session pool. The client itself is not closed: a close while the pool's
  // background calls finish rejects them unhandled; its idle channels end with the process.
  await database.close();
}
