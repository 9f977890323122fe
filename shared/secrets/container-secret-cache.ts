import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GatewayConfig } from '../config/schema';
import { SecretCache } from './secret-cache';

let containerSecretCache: SecretCache | undefined;

/**
 * Lifetime: the container. One cache, and one Secrets Manager client, shared by every
 * request of a function; only functions that read secrets import this module.
 */
export function secretCacheFor(config: Pick<GatewayConfig, 'aws' | 'secrets'>): SecretCache {
  containerSecretCache ??= new SecretCache({
    client: new SecretsManagerClient({
      region: config.aws.region,
      ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
      maxAttempts: 2,
    }),
    ttlSeconds: config.secrets.ttlSeconds,
    staleGraceSeconds: config.secrets.staleGraceSeconds,
  });
  return containerSecretCache;
}
