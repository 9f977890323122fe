import { randomUUID } from 'node:crypto';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  GatewayTimeoutError,
  ServiceUnavailableError,
  UpstreamError,
} from '../../../shared/errors';
import { AccessTokenAuthClient } from '../../../shared/gcp/access-token-auth-client';
import { GcpCredentials } from '../../../shared/gcp/gcp-credentials';
import { SecretCache } from '../../../shared/secrets/secret-cache';
import { startGoogleStandIn, type GoogleStandIn } from '../../../local/google/google-stand-in';
import { externalAccountConfig, LOCAL_GCP } from '../../../local/seed/gcp-credentials';
import { putSecretJson, secretsManagerClient } from '../../../local/seed/moto-clients';
import { MOTO_CREDENTIALS } from '../../../local/services/moto';
import { testStack } from '../../helpers/stack';
import { countGetSecretValue, startMotoRecording } from '../../helpers/moto-recorder';

const SERVICE_ACCOUNT = LOCAL_GCP.serviceAccount;
const WIF_AUDIENCE = LOCAL_GCP.workloadIdentityAudience;
const AUDIENCE = 'https://echo-test-uc.a.run.app';
const SPANNER_SCOPE = 'https://www.googleapis.com/auth/spanner.data';

let google: GoogleStandIn;
let moto: { endpoint: string; region: string };

beforeAll(async () => {
  const stack = testStack();
  if (!stack.moto) throw new Error('moto is not running');
  moto = stack.moto;
  google = await startGoogleStandIn({
    host: '127.0.0.1',
    port: 0,
    workloadIdentityAudience: WIF_AUDIENCE,
    awsKeys: { [MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID]: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    serviceAccounts: [{ email: SERVICE_ACCOUNT, allowFederated: true }],
  });
  await startMotoRecording(moto.endpoint);
});

afterAll(async () => {
  await google?.close();
});

beforeEach(() => {
  google.setFaults({ mode: 'normal', delayMs: 0, tokenLifetimeSeconds: 3600 });
  // What Lambda gives a function: its role's credentials and region in the environment.
  vi.stubEnv('AWS_ACCESS_KEY_ID', MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY);
  vi.stubEnv('AWS_SESSION_TOKEN', MOTO_CREDENTIALS.AWS_SESSION_TOKEN);
  vi.stubEnv('AWS_REGION', 'us-east-1');
});

async function seededCredentials(
  value: unknown,
  options: {
    mintTimeoutMs?: number;
    refreshMarginSeconds?: number;
    staleMarginSeconds?: number;
    logger?: { warn: (message: string, ...extra: unknown[]) => void };
  } = {},
) {
  const secretId = `test/gcp-${randomUUID()}`;
  const client = secretsManagerClient(moto.endpoint, moto.region);
  await putSecretJson(client, secretId, value);
  const secrets = new SecretCache({ client, ttlSeconds: 300 });
  const credentials = new GcpCredentials({
    secrets,
    secretId,
    oauth2Url: google.url,
    mintTimeoutMs: options.mintTimeoutMs ?? 3000,
    ...(options.refreshMarginSeconds === undefined
      ? {}
      : { refreshMarginSeconds: options.refreshMarginSeconds }),
    ...(options.staleMarginSeconds === undefined
      ? {}
      : { staleMarginSeconds: options.staleMarginSeconds }),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { secretId, client, secrets, credentials };
}

async function verifiedClaims(idToken: string) {
  const verifier = new OAuth2Client({
    endpoints: { oauth2FederatedSignonPemCertsUrl: `${google.url}/oauth2/v1/certs` },
  });
  const ticket = await verifier.verifyIdToken({ idToken, audience: AUDIENCE });
  return ticket.getPayload();
}

describe('GcpCredentials with external_account (Workload Identity Federation, aws1)', () => {
  it('happy flow: AwsClient and IAM Credentials give a verifiable ID token and an access token, with no warning printed', async () => {
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    onTestFinished(() => {
      console.warn = warn;
    });
    const { credentials } = await seededCredentials(externalAccountConfig(google.url));
    const before = google.counters();

    const idToken = await credentials.idToken(AUDIENCE);
    const claims = await verifiedClaims(idToken);
    expect(claims).toMatchObject({
      iss: 'https://accounts.google.com',
      aud: AUDIENCE,
      email: SERVICE_ACCOUNT,
      email_verified: true,
    });
    expect((claims?.exp ?? 0) * 1000 - Date.now()).toBeGreaterThan(3500_000);

    const accessToken = await credentials.accessToken([SPANNER_SCOPE]);
    expect(google.introspect(accessToken)).toEqual({
      subject: SERVICE_ACCOUNT,
      scopes: [SPANNER_SCOPE],
    });

    const after = google.counters();
    // One federated token (cached inside AwsClient) served both impersonations.
    expect(after.sts - before.sts).toBe(1);
    expect(after.generateIdToken - before.generateIdToken).toBe(1);
    expect(after.generateAccessToken - before.generateAccessToken).toBe(1);
    // google-auth-library's Impersonated prints a plain-text warning per cold start; not used.
    expect(warnings).toEqual([]);
  });

  it('happy flow: 30 concurrent requests per audience and per scope set mint once each', async () => {
    const { credentials } = await seededCredentials(externalAccountConfig(google.url));
    const before = google.counters();
    const ids = await Promise.all(Array.from({ length: 30 }, () => credentials.idToken(AUDIENCE)));
    const access = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        credentials.accessToken(i % 2 ? [SPANNER_SCOPE, 'a'] : ['a', SPANNER_SCOPE]),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    expect(new Set(access).size).toBe(1);
    const after = google.counters();
    expect(after.generateIdToken - before.generateIdToken).toBe(1);
    expect(after.generateAccessToken - before.generateAccessToken).toBe(1);
  });

  it('error flow: a subject token signed with a key AWS does not know is refused by STS', async () => {
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-the-secret');
    const { credentials } = await seededCredentials(externalAccountConfig(google.url));
    const refusedBefore = google.counters().refused.sts ?? 0;
    const error = await credentials.idToken(AUDIENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 502, extensions: { upstreamStatus: 400 } });
    // Refused, then refused again after the one re-read of the secret.
    expect((google.counters().refused.sts ?? 0) - refusedBefore).toBe(2);
  });
});

describe('GcpCredentials with a service_account key', () => {
  it('happy flow: the JWT-bearer grant, redirected from oauth2.googleapis.com, gives both token kinds', async () => {
    const key = await google.createServiceAccountKey(SERVICE_ACCOUNT);
    const { credentials } = await seededCredentials(key);
    const before = google.counters();

    const claims = await verifiedClaims(await credentials.idToken(AUDIENCE));
    expect(claims).toMatchObject({ aud: AUDIENCE, email: SERVICE_ACCOUNT });
    const accessToken = await credentials.accessToken([SPANNER_SCOPE]);
    expect(google.introspect(accessToken)?.scopes).toEqual([SPANNER_SCOPE]);
    // Cached: asking again mints nothing.
    await credentials.idToken(AUDIENCE);
    await credentials.accessToken([SPANNER_SCOPE]);

    const after = google.counters();
    expect(after.jwtBearerIdToken - before.jwtBearerIdToken).toBe(1);
    expect(after.jwtBearerAccessToken - before.jwtBearerAccessToken).toBe(1);
  });

  it('happy flow: a rotated key is picked up at once when Google rejects the old one', async () => {
    const oldKey = await google.createServiceAccountKey(SERVICE_ACCOUNT);
    const { credentials, client, secretId } = await seededCredentials(oldKey);
    await credentials.idToken(AUDIENCE);
    const fetchesBefore = await countGetSecretValue(moto.endpoint, secretId);

    // Rotation: a new key becomes AWSCURRENT, the old key is deleted at Google.
    const newKey = await google.createServiceAccountKey(SERVICE_ACCOUNT);
    await putSecretJson(client, secretId, newKey);
    google.deleteServiceAccountKey(oldKey.private_key_id);

    const refusedBefore = google.counters().refused.oauth2 ?? 0;
    const accessToken = await credentials.accessToken([SPANNER_SCOPE]);
    expect(google.introspect(accessToken)?.subject).toBe(SERVICE_ACCOUNT);
    expect((google.counters().refused.oauth2 ?? 0) - refusedBefore).toBe(1);
    expect((await countGetSecretValue(moto.endpoint, secretId)) - fetchesBefore).toBe(1);
  });

  it('error flow: a key Google keeps rejecting is a 502 after one re-read of the secret', async () => {
    const key = await google.createServiceAccountKey(SERVICE_ACCOUNT);
    google.deleteServiceAccountKey(key.private_key_id);
    const { credentials, secretId } = await seededCredentials(key);
    const error = await credentials.idToken(AUDIENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 502, extensions: { upstreamStatus: 400 } });
    expect(JSON.stringify(error)).not.toContain('PRIVATE KEY');
    expect(await countGetSecretValue(moto.endpoint, secretId)).toBe(2);
  });

  it('happy flow: AccessTokenAuthClient hands the cached access token to Google client libraries', async () => {
    const key = await google.createServiceAccountKey(SERVICE_ACCOUNT);
    const { credentials } = await seededCredentials(key);
    const authClient = new AccessTokenAuthClient(credentials, [SPANNER_SCOPE]);
    const headers = await authClient.getRequestHeaders();
    const token = headers.get('authorization')?.replace('Bearer ', '') ?? '';
    expect(google.introspect(token)?.scopes).toEqual([SPANNER_SCOPE]);
    expect(await credentials.accessToken([SPANNER_SCOPE])).toBe(token);
  });
});

describe('GcpCredentials with short_lived_tokens minted by another job', () => {
  it('happy flow: serves the token for the audience / scopes until the margin before expiry', async () => {
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    const { credentials } = await seededCredentials({
      type: 'short_lived_tokens',
      id_tokens: [{ token: 'id-for-echo', audience: AUDIENCE, expires_at: inAnHour }],
      access_tokens: [{ token: 'at-spanner', scopes: [SPANNER_SCOPE, 'x'], expires_at: inAnHour }],
    });
    expect(await credentials.idToken(AUDIENCE)).toBe('id-for-echo');
    expect(await credentials.accessToken([SPANNER_SCOPE])).toBe('at-spanner');
  });

  it('error flow: an expiring token is re-read once, then 503 with Retry-After', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const { credentials, secretId } = await seededCredentials({
      type: 'short_lived_tokens',
      id_tokens: [{ token: 'stale', audience: AUDIENCE, expires_at: soon }],
    });
    const error = await credentials.idToken(AUDIENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).headers['retry-after']).toBeDefined();
    expect(await countGetSecretValue(moto.endpoint, secretId)).toBe(2);
  });
});

describe('GcpCredentials when Google fails', () => {
  it('error flow: the token endpoint down is 503 with Retry-After, and nothing is cached', async () => {
    const { credentials } = await seededCredentials(externalAccountConfig(google.url));
    google.setFaults({ mode: 'unavailable' });
    const error = await credentials.idToken(AUDIENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).headers['retry-after']).toBe('5');
    google.setFaults({ mode: 'normal' });
    expect(await verifiedClaims(await credentials.idToken(AUDIENCE))).toMatchObject({
      aud: AUDIENCE,
    });
  });

  it("error flow: a token endpoint slower than the caller's deadline is 504", async () => {
    const { credentials } = await seededCredentials(
      await google.createServiceAccountKey(SERVICE_ACCOUNT),
    );
    google.setFaults({ mode: 'slow', delayMs: 2000 });
    const error = await credentials
      .idToken(AUDIENCE, { deadline: Date.now() + 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayTimeoutError);
  });

  it('error flow: a token endpoint slower than the mint timeout is 503', async () => {
    const { credentials } = await seededCredentials(
      await google.createServiceAccountKey(SERVICE_ACCOUNT),
      { mintTimeoutMs: 300 },
    );
    google.setFaults({ mode: 'slow', delayMs: 2000 });
    const error = await credentials.accessToken([SPANNER_SCOPE]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toContain('in time');
  });

  it('error flow: Google down while the cached token is inside the refresh margin serves that token, with a warning (issue 15)', async () => {
    const warnings: { message: string; extra: unknown[] }[] = [];
    const { credentials } = await seededCredentials(
      await google.createServiceAccountKey(SERVICE_ACCOUNT),
      {
        refreshMarginSeconds: 300,
        staleMarginSeconds: 30,
        logger: { warn: (message, ...extra) => warnings.push({ message, extra }) },
      },
    );
    // Tokens good for 301 s: fresh for 1 s, then inside the 300 s margin with 299 s to live.
    google.setFaults({ mode: 'normal', tokenLifetimeSeconds: 301 });
    const first = await credentials.idToken(AUDIENCE);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    google.setFaults({ mode: 'unavailable' });
    expect(await credentials.idToken(AUDIENCE)).toBe(first);
    // The warning is logged only when a refresh was tried and failed.
    expect(warnings.map((w) => w.message)).toEqual([
      'Google token refresh failed; serving the cached token',
    ]);
    expect(JSON.stringify(warnings)).not.toContain(first);
    // Google back: the next refresh (after the stale retry interval) gives a new token.
    google.setFaults({ mode: 'normal', tokenLifetimeSeconds: 3600 });
    expect(await verifiedClaims(await credentials.idToken(AUDIENCE))).toMatchObject({
      aud: AUDIENCE,
    });
  });

  it('error flow: Google down and the cached token within staleMarginSeconds of expiry is 503', async () => {
    const { credentials } = await seededCredentials(
      await google.createServiceAccountKey(SERVICE_ACCOUNT),
      { refreshMarginSeconds: 300, staleMarginSeconds: 300 },
    );
    google.setFaults({ mode: 'normal', tokenLifetimeSeconds: 301 });
    await credentials.idToken(AUDIENCE);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    google.setFaults({ mode: 'unavailable' });
    const error = await credentials.idToken(AUDIENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).headers['retry-after']).toBe('5');
  });
});
