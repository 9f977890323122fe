import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * Fake credentials of each kind the scrubber must catch, made at run time so that no
 * credential-shaped literal ever sits in this repository's history (the scrub benchmark scans
 * that history and expects to find nothing). Each has the shape of the real thing, as the
 * detectors check it: prefixes, lengths, alphabets, a real (throwaway) RSA key.
 */
export interface FakeSecrets {
  awsAccessKeyId: string;
  awsSecretAccessKey: string;
  /** A PKCS#8 PEM block, lines separated by `\n`. */
  pemPrivateKey: string;
  /** A Google service-account key file, as `gcloud iam service-accounts keys create` writes it. */
  gcpServiceAccountJson: string;
  githubToken: string;
  slackToken: string;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

export function fakeSecrets(): FakeSecrets {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pemPrivateKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trimEnd();
  const projectId = 'crossgate-demo';
  return {
    awsAccessKeyId: ['AK', 'IA', pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)].join(''),
    awsSecretAccessKey: pick(`${BASE62}/+`, 40),
    pemPrivateKey,
    gcpServiceAccountJson: JSON.stringify(
      {
        type: 'service_account',
        project_id: projectId,
        private_key_id: randomBytes(20).toString('hex'),
        private_key: `${pemPrivateKey}\n`,
        client_email: `deployer@${projectId}.iam.gserviceaccount.com`,
        client_id: pick('0123456789', 21),
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: 'https://oauth2.googleapis.com/token',
      },
      null,
      2,
    ),
    githubToken: ['gh', 'p_', pick(BASE62, 36)].join(''),
    slackToken: [
      ['xo', 'xb'].join(''),
      pick('0123456789', 12),
      pick('0123456789', 13),
      pick(BASE62, 24),
    ].join('-'),
  };
}
