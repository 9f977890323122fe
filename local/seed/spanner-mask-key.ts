import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, ResourceExistsException } from '@aws-sdk/client-secrets-manager';
import { secretsManagerClient } from './moto-clients';

/** The secret id config/crossgate.json defaults to (spanner.maskKeySecretId). */
export const SPANNER_MASK_KEY_SECRET_ID = 'crossgate/spanner-mask-key';

/**
 * Stores the deployment's Spanner mask key (HMAC key of `hash` masks) in Secrets Manager
 * (moto): 32 random bytes as base64url, a plain string secret. A new key per stack, so that
 * hashes from one stack cannot be compared with another's; an existing key is kept, since
 * changing it changes every hash.
 */
export async function seedSpannerMaskKey(
  endpoint: string,
  region: string,
  secretId: string = SPANNER_MASK_KEY_SECRET_ID,
): Promise<void> {
  const client = secretsManagerClient(endpoint, region);
  try {
    await client.send(
      new CreateSecretCommand({
        Name: secretId,
        SecretString: randomBytes(32).toString('base64url'),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
  } finally {
    client.destroy();
  }
}
