import { Spanner, type Database } from '@google-cloud/spanner';
import type { AuthClient } from 'google-auth-library';
import { grpc } from 'google-gax';
import type { SpannerConfig } from './config-schema';
import { ConfigurationError } from '../errors';

export interface SpannerClientOptions {
  config: SpannerConfig;
  /**
   * The gateway's Google identity in AWS: an AuthClient from the shared GCP credentials
   * (secret -> google-auth-library), whose access tokens the client sends. Not used with
   * `emulatorHost`. Never a key file on disk: without it and without an emulator we refuse.
   */
  authClient?: AuthClient;
}

export interface SpannerHandle {
  spanner: Spanner;
  database: Database;
}

/**
 * Creates the Spanner client and its database handle. The handle owns the session pool (or,
 * with multiplexed sessions, the one multiplexed session), so it must live as long as the
 * container: see `containerSpanner`.
 *
 * @example
 *   const { database } = createSpanner({ config: config.spanner, authClient });
 */
export function createSpanner(options: SpannerClientOptions): SpannerHandle {
  const { config, authClient } = options;
  // Without this flag google-gax takes its legacy retry-request path for server-streaming
  // calls and retries every failed ExecuteStreamingSql twice with backoff: a plain
  // INVALID_ARGUMENT took 6-7 s (measured against the emulator). With it, the method's own
  // retry codes apply (none for ExecuteStreamingSql); the Spanner client still resumes
  // streams after UNAVAILABLE with resume tokens.
  const common = { projectId: config.projectId, gaxServerStreamingRetries: true };
  let spanner: Spanner;
  if (config.emulatorHost) {
    // The emulator speaks plaintext gRPC and wants no credentials; only the endpoint differs.
    const [servicePath, port] = config.emulatorHost.split(':');
    spanner = new Spanner({
      ...common,
      servicePath,
      port: Number(port),
      sslCreds: grpc.credentials.createInsecure(),
    });
  } else {
    if (!authClient) {
      throw new ConfigurationError(
        'Spanner needs Google credentials outside the emulator: set gcp.credentialsSecretId (see docs/cloud-run.md)',
      );
    }
    spanner = new Spanner({ ...common, authClient });
  }
  const database = spanner.instance(config.instanceId).database(config.databaseId, {
    min: config.sessionPool.min,
    max: config.sessionPool.max,
    incStep: 1,
  });
  return { spanner, database };
}

let containerHandle: Promise<SpannerHandle> | undefined;

/**
 * Lifetime: the container. The first request creates the client, the database handle and its
 * sessions; every later request reuses them, so no request pays for a new session in steady
 * state. A failed creation (credentials not available yet) is forgotten so the next request
 * tries again.
 */
export function containerSpanner(
  config: SpannerConfig,
  authClient: () => Promise<AuthClient | undefined>,
): Promise<SpannerHandle> {
  containerHandle ??= (async () => {
    const client = config.emulatorHost ? undefined : await authClient();
    return createSpanner({ config, authClient: client });
  })().catch((error: unknown) => {
    containerHandle = undefined;
    throw error;
  });
  return containerHandle;
}
