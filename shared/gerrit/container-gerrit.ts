import type { GatewayConfig } from '../config/schema';
import { ConfigurationError } from '../errors';
import { secretCacheFor } from '../secrets/container-secret-cache';
import { GerritClient, type GerritClientOptions } from './gerrit-client';
import { GerritGroupMembership } from './group-membership';

export interface GerritServices {
  client: GerritClient;
  membership: GerritGroupMembership;
}

let containerGerrit: GerritServices | undefined;

/**
 * Lifetime: the container. One Gerrit client (sharing the container's secret cache) and one
 * group-membership cache per Lambda execution environment.
 */
export function gerritServicesFor(config: GatewayConfig): GerritServices {
  if (containerGerrit) return containerGerrit;
  const gerrit = config.gerrit;
  if (!gerrit) throw new ConfigurationError('the config has no gerrit section');
  containerGerrit = createGerritServices(gerrit, secretCacheFor(config));
  return containerGerrit;
}

/** The Gerrit client and group cache as configured, over the given secret cache. */
export function createGerritServices(
  gerrit: NonNullable<GatewayConfig['gerrit']>,
  secrets: GerritClientOptions['secrets'],
): GerritServices {
  const client = new GerritClient({
    baseUrl: gerrit.baseUrl,
    credentialsSecretId: gerrit.credentialsSecretId,
    secrets,
    maxAttempts: gerrit.maxAttempts,
    retryBaseDelayMs: gerrit.retryBaseDelayMs,
  });
  return {
    client,
    membership: new GerritGroupMembership({ client, ttlSeconds: gerrit.groupCacheTtlSeconds }),
  };
}
