import { putSecretJson, secretsManagerClient } from './moto-clients';

/** The secret id the config defaults to (config/crossgate.json, gerrit.credentialsSecretId). */
export const GERRIT_SECRET_ID = 'crossgate/gerrit-http-credentials';

/**
 * Stores Gerrit's service-account HTTP credentials in Secrets Manager (moto), in the JSON shape
 * the gateway reads: `{"username","password"}`. A second call stores a new version (rotation).
 */
export async function seedGerritSecret(
  endpoint: string,
  region: string,
  credentials: { username: string; password: string },
  secretId: string = GERRIT_SECRET_ID,
): Promise<void> {
  const client = secretsManagerClient(endpoint, region);
  try {
    await putSecretJson(client, secretId, credentials);
  } finally {
    client.destroy();
  }
}
