import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

/**
 * Fake credentials for the change that the agent-scrubbing tests read: an AWS access key
 * pair, a PEM private key and a GCP service-account key JSON, shaped so that secretlint's
 * recommended preset flags each of them.
 *
 * They are generated at start rather than written in the repository, so that the repository
 * itself holds nothing a secret scanner flags (the scrubbing benchmark counts false positives
 * on this repository's history). None of them opens anything: the keys are fresh and
 * registered nowhere.
 */
export interface FakeCredentials {
  awsAccessKeyId: string;
  awsSecretAccessKey: string;
  /** PKCS#1 RSA key (`-----BEGIN RSA PRIVATE KEY-----`), as deploy keys are often committed. */
  pemPrivateKey: string;
  /** A GCP `service_account` key file, as `gcloud iam service-accounts keys create` writes it. */
  gcpServiceAccountKeyJson: string;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function pick(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export function fakeCredentials(): FakeCredentials {
  // 1024 bits: generated in milliseconds at every start; nobody will use it to sign.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pemPrivateKey = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const gcpKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
  const keyId = randomBytes(20).toString('hex');
  const gcpServiceAccountKeyJson = `${JSON.stringify(
    {
      type: 'service_account',
      project_id: 'crossgate-demo',
      private_key_id: keyId,
      private_key: gcpKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: 'deployer@crossgate-demo.iam.gserviceaccount.com',
      client_id: String(100000000000000000000n + BigInt(randomInt(2 ** 47))),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url:
        'https://www.googleapis.com/robot/v1/metadata/x509/deployer%40crossgate-demo.iam.gserviceaccount.com',
      universe_domain: 'googleapis.com',
    },
    null,
    2,
  )}\n`;
  return {
    awsAccessKeyId: `AKIA${pick(BASE32, 16)}`,
    awsSecretAccessKey: pick(BASE64, 40),
    pemPrivateKey,
    gcpServiceAccountKeyJson,
  };
}
