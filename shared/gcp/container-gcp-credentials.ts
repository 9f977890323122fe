import type { CoreConfig } from '../config/schema';
import { logger } from '../logging/logger';
import { secretCacheFor } from '../secrets/container-secret-cache';
import { GcpCredentials, type GcpCredentialsOptions } from './gcp-credentials';
import type { GcpConfig } from './gcp-schema';

const containerCredentials = new Map<string, GcpCredentials>();

/**
 * Lifetime: the container. One GcpCredentials per credential secret, so every request of a
 * function shares its token cache and in-flight mints. Each backend names its own secret (its
 * own Google identity) in its section's `gcp`.
 *
 * @example
 *   const token = await gcpCredentialsFor(config, config.spanner.gcp).accessToken([SCOPE]);
 */
export function gcpCredentialsFor(
  core: Pick<CoreConfig, 'aws' | 'secrets'>,
  gcp: GcpConfig,
): GcpCredentials {
  let credentials = containerCredentials.get(gcp.credentialsSecretId);
  if (!credentials) {
    credentials = createGcpCredentials(gcp, secretCacheFor(core), gcp.credentialsSecretId);
    containerCredentials.set(gcp.credentialsSecretId, credentials);
  }
  return credentials;
}

/** GcpCredentials as configured, over the given secret cache (a fresh container in benchmarks). */
export function createGcpCredentials(
  gcp: GcpConfig,
  secrets: GcpCredentialsOptions['secrets'],
  secretId: string,
): GcpCredentials {
  return new GcpCredentials({
    secrets,
    secretId,
    refreshMarginSeconds: gcp.refreshMarginSeconds,
    mintTimeoutMs: gcp.mintTimeoutMs,
    idTokenIncludeEmail: gcp.idTokenIncludeEmail,
    oauth2Url: gcp.oauth2Url,
    logger,
  });
}
