import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoService, type EchoService } from '../../../local/echo/echo-service';
import { startGoogleStandIn, type GoogleStandIn } from '../../../local/google/google-stand-in';

/**
 * Google serves its signing certs cacheable (issue 16): the stand-in does the same, and the
 * echo service (google-auth-library's OAuth2Client) fetches them once, not per request.
 */

const SERVICE_ACCOUNT = 'invoker@crossgate-local.iam.gserviceaccount.com';
let google: GoogleStandIn;
let echo: EchoService;

beforeAll(async () => {
  google = await startGoogleStandIn({
    host: '127.0.0.1',
    port: 0,
    workloadIdentityAudience:
      '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q',
    awsKeys: {},
    serviceAccounts: [{ email: SERVICE_ACCOUNT, allowFederated: false }],
  });
  echo = await startEchoService({
    host: '127.0.0.1',
    port: 0,
    audiences: ['http://echo.test'],
    certsUrl: `${google.url}/oauth2/v1/certs`,
  });
});

afterAll(async () => {
  await echo?.close();
  await google?.close();
});

/** An ID token minted the service-account way (JWT-bearer grant with a fresh key). */
async function idToken(): Promise<string> {
  const { SignJWT, importPKCS8 } = await import('jose');
  const key = await google.createServiceAccountKey(SERVICE_ACCOUNT);
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ target_audience: 'http://echo.test' })
    .setProtectedHeader({ alg: 'RS256', kid: key.private_key_id })
    .setIssuer(SERVICE_ACCOUNT)
    .setAudience('https://oauth2.googleapis.com/token')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(await importPKCS8(key.private_key, 'RS256'));
  const response = await fetch(`${google.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    }),
  });
  return ((await response.json()) as { id_token: string }).id_token;
}

describe('Google stand-in certs', () => {
  it('happy flow: both cert endpoints are cacheable as Google serves them; tokens are not', async () => {
    for (const path of ['/oauth2/v1/certs', '/oauth2/v3/certs']) {
      const response = await fetch(`${google.url}${path}`);
      expect(response.status).toBe(200);
      const cacheControl = response.headers.get('cache-control') ?? '';
      expect(cacheControl).toMatch(/^public, max-age=(\d+), must-revalidate, no-transform$/);
      expect(Number(/max-age=(\d+)/.exec(cacheControl)?.[1])).toBeGreaterThanOrEqual(3600);
    }
    const token = await fetch(`${google.url}/token`, { method: 'POST' });
    expect(token.headers.get('cache-control')).toBe('no-store');
  });

  it('happy flow: the echo service fetches the certs once for many verified requests', async () => {
    const token = await idToken();
    const before = google.counters().certsServed;
    for (let index = 0; index < 5; index += 1) {
      const response = await fetch(`${echo.url}/hello`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
    }
    expect(google.counters().certsServed - before).toBe(1);
  });

  it('error flow: an invalid token is still refused while the certs are cached', async () => {
    const response = await fetch(`${echo.url}/hello`, {
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(response.status).toBe(401);
  });
});
