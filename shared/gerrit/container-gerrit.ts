import type { CoreConfig } from '../config/schema';
import { secretCacheFor } from '../secrets/container-secret-cache';
import type { GerritConfig } from './config-schema';
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
export function gerritServicesFor(
  core: Pick<CoreConfig, 'aws' | 'secrets'>,
  gerrit: GerritConfig,
): GerritServices {
  containerGerrit ??= createGerritServices(gerrit, secretCacheFor(core));
  return containerGerrit;
}

/** The Gerrit client and group cache as configured, over the given secret cache. */
export function createGerritServices(
  gerrit: GerritConfig,
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
