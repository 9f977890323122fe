import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { MOTO_CREDENTIALS } from '../services/moto';

/** The secret id the config defaults to (config/crossgate.json, gerrit.credentialsSecretId). */
export const GERRIT_SECRET_ID = 'crossgate/gerrit-http-credentials';

export function secretsManagerClient(endpoint: string, region: string): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint,
    region,
    credentials: {
      accessKeyId: MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
  });
}

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
  const SecretString = JSON.stringify(credentials);
  try {
    await client.send(
      new CreateSecretCommand({
        Name: secretId,
        Description: "Gerrit service account's HTTP credentials for crossgate",
        SecretString,
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
    await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString }));
  } finally {
    client.destroy();
  }
}
