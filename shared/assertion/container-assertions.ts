import type { CoreConfig } from '../config/schema';
import { secretCacheFor } from '../secrets/container-secret-cache';
import { AssertionSigner } from './assertion-signer';
import { assertionKeySetParser, type AssertionKeySet } from './key-set';

/** The key set as the container's secret cache holds it: parsed once per secret version. */
export function containerKeySet(
  config: Pick<CoreConfig, 'aws' | 'secrets' | 'assertion'>,
): () => Promise<AssertionKeySet> {
  const secretId = config.assertion.keysSecretId;
  const parse = assertionKeySetParser(secretId);
  const secrets = secretCacheFor(config);
  return () => secrets.getJson(secretId, parse);
}

let containerSigner: AssertionSigner | undefined;

/** Lifetime: the container, so a returning caller's assertion is reused across requests. */
export function assertionSignerFor(
  config: Pick<CoreConfig, 'aws' | 'secrets' | 'assertion'>,
): AssertionSigner {
  containerSigner ??= new AssertionSigner({
    issuerUrl: config.assertion.issuerUrl,
    lifetimeSeconds: config.assertion.lifetimeSeconds,
    keySet: containerKeySet(config),
  });
  return containerSigner;
}
