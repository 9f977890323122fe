import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CoreConfig } from '../config/schema';
import { logger } from '../logging/logger';
import { SecretCache } from './secret-cache';

let containerSecretCache: SecretCache | undefined;

/**
 * Lifetime: the container. One cache, and one Secrets Manager client, shared by every
 * request of a function; only functions that read secrets import this module.
 */
export function secretCacheFor(config: Pick<CoreConfig, 'aws' | 'secrets'>): SecretCache {
  containerSecretCache ??= new SecretCache({
    client: new SecretsManagerClient({
      region: config.aws.region,
      ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
      maxAttempts: 2,
    }),
    ttlSeconds: config.secrets.ttlSeconds,
    staleGraceSeconds: config.secrets.staleGraceSeconds,
    onStaleValue: (secretId, error) =>
      logger.warn('Secrets Manager failed; serving the last good value', {
        secretId,
        error: error instanceof Error ? error.name : 'unknown',
      }),
  });
  return containerSecretCache;
}
