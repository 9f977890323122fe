import { importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoService, type EchoService } from '../../../local/echo/echo-service';
import {
  GOOGLE_TOKEN_AUDIENCE,
  startGoogleStandIn,
  type GoogleStandIn,
} from '../../../local/google/google-stand-in';
import { LOCAL_HOST } from '../../../local/ports';
import type { Principal } from '../../../shared/auth/principal';
import { AssertionSigner } from '../../../shared/assertion/assertion-signer';
import { ASSERTION_HEADER } from '../../../shared/assertion/assertion-header';
import { identityHeaders } from '../../../shared/cloud-run/forward-headers';
import { addNextKey, initKeySet, promoteNextKey } from '../../../shared/assertion/key-rotation';
import { parseAssertionKeySet, type AssertionKeySet } from '../../../shared/assertion/key-set';
import { freeLoopbackPort } from './free-port';
import { startJwksServer, type JwksServer } from './jwks-server';
import { bobPrincipal as bob, ciBotPrincipal as ciBot } from '../../helpers/seed-principals';

const SERVICE_ACCOUNT = 'crossgate-gateway@crossgate-local.iam.gserviceaccount.com';

let google: GoogleStandIn;
let jwks: JwksServer;
let echo: EchoService;
let keySet: AssertionKeySet;
let idToken: string;
let signer: AssertionSigner;
const OTHER_SERVICE = 'https://other-abc123-uc.a.run.app';

/** A real Google ID token for `audience` from the stand-in (service-account key, jwt-bearer grant). */
async function googleIdToken(audience: string): Promise<string> {
  const key = await google.createServiceAccountKey(SERVICE_ACCOUNT);
  const now = Math.floor(Date.now() / 1000);
  const grant = await new SignJWT({ target_audience: audience })
    .setProtectedHeader({ alg: 'RS256', kid: key.private_key_id })
    .setIssuer(key.client_email)
    .setSubject(key.client_email)
    .setAudience(GOOGLE_TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(await importPKCS8(key.private_key, 'RS256'));
  const response = await fetch(`${google.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: grant,
    }),
  });
  const body = (await response.json()) as { id_token?: string };
  if (!body.id_token) throw new Error(`no ID token: ${response.status}`);
  return body.id_token;
}

async function callEcho(headers: Record<string, string>) {
  const response = await fetch(`${echo.url}/hello`, {
    headers,
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => null)) as Record<string, unknown> | null,
  };
}

beforeAll(async () => {
  google = await startGoogleStandIn({
    host: LOCAL_HOST,
    port: 0,
    workloadIdentityAudience:
      '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q',
    awsKeys: {},
    serviceAccounts: [{ email: SERVICE_ACCOUNT, allowFederated: false }],
  });
  keySet = parseAssertionKeySet(await initKeySet());
  jwks = await startJwksServer(() => keySet);
  const port = await freeLoopbackPort('echo');
  const echoUrl = `http://${LOCAL_HOST}:${port}`;
  echo = await startEchoService({
    host: LOCAL_HOST,
    port,
    audiences: [echoUrl],
    certsUrl: `${google.url}/oauth2/v1/certs`,
    // No cooldown: the rotation test below needs echo to refetch at once on a new kid.
    assertion: { jwksUrl: jwks.jwksUrl, issuer: jwks.url, jwksCooldownMs: 0 },
  });
  idToken = await googleIdToken(echoUrl);
  signer = new AssertionSigner({ issuerUrl: jwks.url, keySet: async () => keySet });
});

afterAll(async () => {
  await echo?.close();
  await jwks?.close();
  await google?.close();
});

function headersFor(principal: Principal, assertion: string | undefined) {
  return {
    authorization: `Bearer ${idToken}`,
    ...identityHeaders(principal),
    ...(assertion ? { [ASSERTION_HEADER]: assertion } : {}),
  };
}

describe('the echo service verifies x-crossgate-assertion against the gateway JWKS', () => {
  it("happy flow: bob's and ci-bot's assertions verify and the claims come back", async () => {
    const forBob = await callEcho(headersFor(bob, await signer.assertionFor(bob, echo.url)));
    expect(forBob.status).toBe(200);
    expect(forBob.body?.assertion).toMatchObject({
      kid: keySet.current.kid,
      claims: {
        sub: 'cognito|7f3a-uuid',
        username: 'bob',
        groups: ['developers'],
        kind: 'person',
        aud: echo.url,
      },
    });
    // The assertion is a credential: echo reflects its claims, never the token.
    expect(JSON.stringify(forBob.body)).not.toContain('x-crossgate-assertion');
    const headers = forBob.body?.headers as Record<string, string>;
    expect(headers['x-crossgate-user']).toBe('bob');
    expect(headers['x-crossgate-issuer']).toBe('cognito');

    const forBot = await callEcho(headersFor(ciBot, await signer.assertionFor(ciBot, echo.url)));
    expect(forBot.status).toBe(200);
    expect(forBot.body?.assertion).toMatchObject({
      claims: { sub: 'local-oidc|ci-bot', kind: 'machine', scopes: ['run:echo', 'gerrit:read'] },
    });
  });

  it('error flow: no assertion is 401 with a reason', async () => {
    const { status, body } = await callEcho(headersFor(bob, undefined));
    expect(status).toBe(401);
    expect(body).toEqual({ error: 'invalid_assertion', reason: 'missing x-crossgate-assertion' });
  });

  it('error flow: a tampered assertion is 401 (signature)', async () => {
    const [header, payload, signature] = (await signer.assertionFor(bob, echo.url)).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const forged = Buffer.from(JSON.stringify({ ...claims, groups: ['admins'] })).toString(
      'base64url',
    );
    const { status, body } = await callEcho(headersFor(bob, `${header}.${forged}.${signature}`));
    expect(status).toBe(401);
    expect(body?.reason).toBe('assertion signature does not verify');
  });

  it('error flow: an assertion signed by a key the JWKS does not publish is 401 (unknown kid)', async () => {
    const stranger = parseAssertionKeySet(await initKeySet());
    const rogue = new AssertionSigner({ issuerUrl: jwks.url, keySet: async () => stranger });
    const { status, body } = await callEcho(
      headersFor(bob, await rogue.assertionFor(bob, echo.url)),
    );
    expect(status).toBe(401);
    expect(body?.reason).toBe('assertion kid unknown to the gateway JWKS');
  });

  it('error flow: an assertion for another service is 401 (aud), so it cannot be replayed', async () => {
    const { status, body } = await callEcho(
      headersFor(bob, await signer.assertionFor(bob, OTHER_SERVICE)),
    );
    expect(status).toBe(401);
    expect(body?.reason).toBe('assertion claim aud refused');
  });

  it('error flow: an expired assertion, or one from another issuer, is 401', async () => {
    const late = new AssertionSigner({
      issuerUrl: jwks.url,
      keySet: async () => keySet,
      now: () => Date.now() - 600_000,
    });
    const expired = await callEcho(headersFor(bob, await late.assertionFor(bob, echo.url)));
    expect(expired.status).toBe(401);
    expect(expired.body?.reason).toBe('assertion expired');
    const impostor = new AssertionSigner({
      issuerUrl: 'https://impostor.example.com',
      keySet: async () => keySet,
    });
    const wrongIssuer = await callEcho(headersFor(bob, await impostor.assertionFor(bob, echo.url)));
    expect(wrongIssuer.status).toBe(401);
    expect(wrongIssuer.body?.reason).toBe('assertion claim iss refused');
  });

  it('error flow: a valid assertion without a Google ID token is still refused (Cloud Run IAM)', async () => {
    const response = await fetch(`${echo.url}/hello`, {
      headers: {
        ...identityHeaders(bob),
        [ASSERTION_HEADER]: await signer.assertionFor(bob, echo.url),
      },
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('no token');
  });

  it('happy flow: rotation: next published, then signing, then the old key retired, no refusal', async () => {
    const stored = await initKeySet();
    keySet = parseAssertionKeySet(stored);
    const gateway = new AssertionSigner({ issuerUrl: jwks.url, keySet: async () => keySet });
    const oldAssertion = await gateway.assertionFor(bob, echo.url);
    expect((await callEcho(headersFor(bob, oldAssertion))).status).toBe(200);
    const withNext = await addNextKey(stored);
    keySet = parseAssertionKeySet(withNext);
    expect(
      (await callEcho(headersFor(bob, await gateway.assertionFor(bob, echo.url)))).status,
    ).toBe(200);
    keySet = parseAssertionKeySet(promoteNextKey(withNext, { minPublishedSeconds: 0 }));
    const newAssertion = await gateway.assertionFor(bob, echo.url);
    expect(newAssertion).not.toBe(oldAssertion);
    const afterPromotion = await callEcho(headersFor(bob, newAssertion));
    expect(afterPromotion.status).toBe(200);
    expect(afterPromotion.body?.assertion).toMatchObject({ kid: keySet.current.kid });
    // An assertion the old key signed before promotion is still accepted while it lives.
    expect((await callEcho(headersFor(bob, oldAssertion))).status).toBe(200);
  });
});
