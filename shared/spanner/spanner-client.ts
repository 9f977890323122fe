import { Spanner, type Database } from '@google-cloud/spanner';
import type { AuthClient } from 'google-auth-library';
import { grpc } from 'google-gax';
import type { SpannerConfig } from './config-schema';
import { ConfigurationError } from '../errors';
import type { SpannerEndpoint } from './spanner-reachability';

/** Google's Spanner endpoint; the client library's own default. */
export const SPANNER_ENDPOINT: SpannerEndpoint = { host: 'spanner.googleapis.com', port: 443 };

export interface SpannerClientOptions {
  config: SpannerConfig;
  /**
   * The gateway's Google identity in AWS: an AuthClient from the shared GCP credentials
   * (secret -> google-auth-library), whose access tokens the client sends. Not used with
   * `emulatorHost`. Never a key file on disk: without it and without an emulator we refuse.
   */
  authClient?: AuthClient;
  /**
   * Export the client's built-in metrics (OpenTelemetry -> Cloud Monitoring). Default false:
   * in AWS they cost a GCE metadata-server probe per cold start (to detect the client's
   * location, which Lambda cannot answer) and a Cloud Monitoring export every 60 s from a
   * container that may be frozen between requests. Turn on only where that is wanted.
   */
  builtInMetrics?: boolean;
  /**
   * Where the client connects outside the emulator (TLS). Default: Google's endpoint. Tests
   * point it at loopback to watch what the production client does; nothing else needs it.
   */
  endpoint?: SpannerEndpoint;
}

export interface SpannerHandle {
  spanner: Spanner;
  database: Database;
  /** Where the client connects; the statement runner checks it when Spanner is slow to answer. */
  endpoint: SpannerEndpoint;
}

/** The endpoint of each database handle made here, so a runner given only a Database finds it. */
const endpoints = new WeakMap<Database, SpannerEndpoint>();

/** Where the client of this database connects, if the handle was made by `createSpanner`. */
export function spannerEndpointOf(database: Database): SpannerEndpoint | undefined {
  return endpoints.get(database);
}

/**
 * Creates the Spanner client and its database handle. The handle owns the session pool (or,
 * with multiplexed sessions, the one multiplexed session), so it must live as long as the
 * container: see `containerSpanner`.
 *
 * Configured for a Lambda in AWS: the project id is given (no lookup), credentials come from
 * `authClient` (no Application Default Credentials search), and built-in metrics are off
 * unless asked for, so the client never probes the GCE metadata server (169.254.169.254,
 * metadata.google.internal), which Lambda does not have.
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
  const common = {
    projectId: config.projectId,
    gaxServerStreamingRetries: true,
    disableBuiltInMetrics: !(options.builtInMetrics ?? false),
  };
  let spanner: Spanner;
  let endpoint: SpannerEndpoint;
  if (config.emulatorHost) {
    // The emulator speaks plaintext gRPC and wants no credentials; only the endpoint differs.
    const [host = '', port] = config.emulatorHost.split(':');
    endpoint = { host, port: Number(port) };
    spanner = new Spanner({
      ...common,
      servicePath: endpoint.host,
      port: endpoint.port,
      sslCreds: grpc.credentials.createInsecure(),
    });
  } else {
    if (!authClient) {
      throw new ConfigurationError(
        'Spanner needs Google credentials outside the emulator: set gcp.credentialsSecretId (see docs/cloud-run.md)',
      );
    }
    endpoint = options.endpoint ?? SPANNER_ENDPOINT;
    spanner = new Spanner({
      ...common,
      authClient,
      ...(options.endpoint ? { servicePath: endpoint.host, port: endpoint.port } : {}),
    });
  }
  const database = spanner.instance(config.instanceId).database(config.databaseId, {
    min: config.sessionPool.min,
    max: config.sessionPool.max,
    incStep: 1,
  });
  endpoints.set(database, endpoint);
  return { spanner, database, endpoint };
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
    return createSpanner({ config, authClient: client, builtInMetrics: config.builtInMetrics });
  })().catch((error: unknown) => {
    containerHandle = undefined;
    throw error;
  });
  return containerHandle;
}
