import type { GatewayConfig } from '../config/schema';
import { ConfigurationError } from '../errors';
import { logger } from '../logging/logger';
import { secretCacheFor } from '../secrets/container-secret-cache';
import { GcpCredentials } from './gcp-credentials';

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
    credentials = new GcpCredentials({
      secrets: secretCacheFor(config),
      secretId,
      refreshMarginSeconds: config.gcp.refreshMarginSeconds,
      mintTimeoutMs: config.gcp.mintTimeoutMs,
      idTokenIncludeEmail: config.gcp.idTokenIncludeEmail,
      oauth2Url: config.gcp.oauth2Url,
      logger,
    });
    containerCredentials.set(secretId, credentials);
  }
  return credentials;
}
