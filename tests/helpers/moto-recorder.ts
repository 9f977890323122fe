import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { secretsManagerClient } from '../../local/seed/moto-clients';

/**
 * Counts Secrets Manager calls at moto itself, with moto's request recorder
 * (`/moto-api/recorder/*`). Recording is global to the moto process and never stopped here,
 * so tests count calls for their own secret id, as a difference before/after.
 */
export async function startMotoRecording(
  motoEndpoint: string,
  region = 'us-east-1',
): Promise<void> {
  const response = await fetch(`${motoEndpoint}/moto-api/recorder/start-recording`, {
    method: 'POST',
  });
  if (!response.ok) throw new Error(`moto recorder did not start: ${response.status}`);
  // moto creates its recording file with the first recorded request, and answers 500 to a
  // download before that: record one call that is not a GetSecretValue.
  await secretsManagerClient(motoEndpoint, region).send(new ListSecretsCommand({ MaxResults: 1 }));
}

interface RecordedRequest {
  headers: Record<string, string>;
  body?: string | null;
  body_encoded?: boolean;
}

/** GetSecretValue calls moto received for `secretId` since recording started. */
export async function countGetSecretValue(motoEndpoint: string, secretId: string): Promise<number> {
  const response = await fetch(`${motoEndpoint}/moto-api/recorder/download-recording`);
  const text = await response.text();
  if (!response.ok) throw new Error(`moto recorder answered ${response.status}`);
  let count = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as RecordedRequest;
    const target = Object.entries(entry.headers).find(
      ([name]) => name.toLowerCase() === 'x-amz-target',
    )?.[1];
    if (target !== 'secretsmanager.GetSecretValue' || !entry.body) continue;
    const body = entry.body_encoded ? Buffer.from(entry.body, 'base64').toString() : entry.body;
    if ((JSON.parse(body) as { SecretId?: string }).SecretId === secretId) count += 1;
  }
  return count;
}
