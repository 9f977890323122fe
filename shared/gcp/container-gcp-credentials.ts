import type { GatewayConfig } from '../config/schema';
import { ConfigurationError } from '../errors';
import { logger } from '../logging/logger';
import { secretCacheFor } from '../secrets/container-secret-cache';
import { GcpCredentials, type GcpCredentialsOptions } from './gcp-credentials';

const containerCredentials = new Map<string, GcpCredentials>();

/**
 * Lifetime: the container. One GcpCredentials per credential secret, so every request of a
 * function shares its token cache and in-flight mints. `secretId` defaults to
 * `gcp.credentialsSecretId`; a function whose Google identity differs passes its own.
 *
 * @example
 *   const token = await gcpCredentialsFor(config).accessToken([SPANNER_DATA_SCOPE]);
 */
export function gcpCredentialsFor(
  config: Pick<GatewayConfig, 'aws' | 'secrets' | 'gcp'>,
  secretId = config.gcp?.credentialsSecretId,
): GcpCredentials {
  if (!config.gcp || !secretId) {
    throw new ConfigurationError('the gcp section of the config names no credential secret');
  }
  let credentials = containerCredentials.get(secretId);
  if (!credentials) {
    credentials = createGcpCredentials(config.gcp, secretCacheFor(config), secretId);
    containerCredentials.set(secretId, credentials);
  }
  return credentials;
}

/** GcpCredentials as configured, over the given secret cache (a fresh container in benchmarks). */
export function createGcpCredentials(
  gcp: NonNullable<GatewayConfig['gcp']>,
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
