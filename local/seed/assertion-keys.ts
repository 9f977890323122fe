import { initKeySet } from '../../shared/assertion/key-rotation';
import type { AssertionKeySetDocument } from '../../shared/assertion/key-set';
import { putSecretJson, secretsManagerClient } from './moto-clients';

/** The secret id the offline stack publishes as CROSSGATE_ASSERTION_KEYS_SECRET_ID. */
export const ASSERTION_KEYS_SECRET_ID = 'crossgate/assertion-keys';

/**
 * Stores a caller-assertion key set in Secrets Manager (moto): a fresh one per stack, as
 * `npm run keys -- init` makes it, or the given document (a rotation step in a test).
 * A second call stores a new AWSCURRENT version.
 */
export async function seedAssertionKeys(
  endpoint: string,
  region: string,
  document?: AssertionKeySetDocument,
  secretId: string = ASSERTION_KEYS_SECRET_ID,
): Promise<AssertionKeySetDocument> {
  const value = document ?? (await initKeySet());
  const client = secretsManagerClient(endpoint, region);
  try {
    await putSecretJson(client, secretId, value);
  } finally {
    client.destroy();
  }
  return value;
}
