import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { MOTO_CREDENTIALS } from '../services/moto';

const credentials = {
  accessKeyId: MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID,
  secretAccessKey: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
};

/** AWS SDK clients pointed at the local moto, for seeds and tests. */
export function secretsManagerClient(endpoint: string, region: string): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint, region, credentials });
}

export function cognitoClient(endpoint: string, region: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint, region, credentials });
}

/** Creates the secret, or puts a new AWSCURRENT version when it exists (a rotation). */
export async function putSecretJson(
  client: SecretsManagerClient,
  secretId: string,
  value: unknown,
): Promise<void> {
  const SecretString = JSON.stringify(value);
  try {
    await client.send(new CreateSecretCommand({ Name: secretId, SecretString }));
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
    await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString }));
  }
}
