import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsManagerClient } from '../../local/seed/moto-clients';
import { ASSERTION_KEYS_SECRET_ID, seedAssertionKeys } from '../../local/seed/assertion-keys';
import { addNextKey, promoteNextKey, pruneRetiredKeys } from '../../shared/assertion/key-rotation';
import type { AssertionKeySetDocument } from '../../shared/assertion/key-set';
import { callGateway, testStack, token } from '../helpers/stack';

/**
 * The signed caller assertion end to end: the run function signs it, the jwks function
 * publishes its keys through serverless offline, and the sample services (echo, ledger) verify
 * it with jose against that JWKS, as docs/cloud-run.md tells a backend to.
 */

interface VerifiedAssertion {
  kid: string;
  claims: {
    iss: string;
    aud: string;
    sub: string;
    username?: string;
    groups: string[];
    scopes: string[];
    kind: string;
    issuer: string;
    iat: number;
    exp: number;
  };
}

interface EchoReport {
  headers: Record<string, string>;
  assertion?: VerifiedAssertion;
}

interface LastCredentials {
  idToken: string;
  assertion: string;
}

const services = () => testStack().echo as { url: string; ledgerUrl: string };
const moto = () => {
  const stack = testStack().moto;
  if (!stack) throw new Error('moto is not running');
  return stack;
};

async function lastCredentials(serviceUrl: string): Promise<LastCredentials> {
  const response = await fetch(`${serviceUrl}/__admin/last-credentials`);
  expect(response.status).toBe(200);
  return (await response.json()) as LastCredentials;
}

/** A request straight to a sample service, as anyone on its network could send it. */
async function direct(serviceUrl: string, credentials: { idToken: string; assertion?: string }) {
  const response = await fetch(`${serviceUrl}/direct`, {
    headers: {
      authorization: `Bearer ${credentials.idToken}`,
      ...(credentials.assertion ? { 'x-crossgate-assertion': credentials.assertion } : {}),
    },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function storedKeySet(): Promise<AssertionKeySetDocument> {
  const client = secretsManagerClient(moto().endpoint, moto().region);
  try {
    const value = await client.send(
      new GetSecretValueCommand({ SecretId: ASSERTION_KEYS_SECRET_ID }),
    );
    return JSON.parse(value.SecretString ?? '{}') as AssertionKeySetDocument;
  } finally {
    client.destroy();
  }
}

async function publishedKids(): Promise<string[]> {
  const response = await callGateway('/.well-known/jwks.json');
  expect(response.status).toBe(200);
  return (response.body as { keys: { kid: string }[] }).keys.map((key) => key.kid);
}

/** Polls until `check` holds, within a bounded time. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting until ${what}`);
}

let bob: string;

beforeAll(async () => {
  bob = await token('bob');
});

describe('GET /.well-known/jwks.json', () => {
  it('happy flow: public keys only, no token needed, cacheable', async () => {
    const response = await callGateway('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jwk-set+json');
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const { keys } = response.body as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key).not.toHaveProperty('d');
      expect(typeof key.kid).toBe('string');
    }
  });
});

describe('x-crossgate-assertion on /run', () => {
  it('happy flow: bob`s assertion verifies at echo with his username, groups, kind and a unique sub', async () => {
    const response = await callGateway('/run/echo/who', { bearer: bob });
    expect(response.status).toBe(200);
    const report = response.body as EchoReport;
    expect(report.assertion?.claims).toMatchObject({
      iss: testStack().gatewayUrl,
      aud: services().url,
      username: 'bob',
      groups: ['developers'],
      kind: 'person',
      issuer: 'cognito',
    });
    const claims = report.assertion?.claims;
    expect(claims?.sub).toMatch(/^cognito\|.+/);
    expect((claims?.exp ?? 0) - (claims?.iat ?? 0)).toBe(300);
    expect(report.headers['x-crossgate-user']).toBe('bob');
    expect(report.headers['x-crossgate-issuer']).toBe('cognito');
    expect(report.headers['x-crossgate-subject']).toBe(claims?.sub.split('|')[1]);
  });

  it('happy flow: ci-bot`s assertion names the machine client and its scopes', async () => {
    const response = await callGateway('/run/echo/who', { bearer: await token('ci-bot') });
    expect(response.status).toBe(200);
    const claims = (response.body as EchoReport).assertion?.claims;
    expect(claims).toMatchObject({ username: 'ci-bot', kind: 'machine', issuer: 'machines' });
    expect(claims?.scopes).toEqual(expect.arrayContaining(['run:echo']));
    expect(claims?.sub).toMatch(/^machines\|/);
  });

  it('happy flow: a returning caller gets the same assertion again (no new signature)', async () => {
    await callGateway('/run/echo/a', { bearer: bob });
    const first = await lastCredentials(services().url);
    await callGateway('/run/echo/b', { bearer: bob });
    const second = await lastCredentials(services().url);
    expect(decodeJwt(second.assertion).sub).toBe(decodeJwt(first.assertion).sub);
    expect(second.assertion).toBe(first.assertion);
  });

  it('error flow: a tampered assertion or one with an unknown kid is refused by the service', async () => {
    await callGateway('/run/echo/who', { bearer: bob });
    const { idToken, assertion } = await lastCredentials(services().url);
    expect((await direct(services().url, { idToken, assertion })).status).toBe(200);

    const [header = '', payload = '', signature = ''] = assertion.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
    const tampered = [
      header,
      Buffer.from(JSON.stringify({ ...claims, groups: ['admins'] })).toString('base64url'),
      signature,
    ].join('.');
    const unknownKid = [
      Buffer.from(JSON.stringify({ ...decodeProtectedHeader(assertion), kid: 'nope' })).toString(
        'base64url',
      ),
      payload,
      signature,
    ].join('.');
    for (const forged of [tampered, unknownKid]) {
      const refused = await direct(services().url, { idToken, assertion: forged });
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('invalid_assertion');
    }
    expect((await direct(services().url, { idToken })).status).toBe(401);
  });

  it('error flow: an assertion for echo replayed to ledger is refused there (aud differs)', async () => {
    const alice = await token('alice');
    expect((await callGateway('/run/ledger/entries', { bearer: alice })).status).toBe(200);
    const ledger = await lastCredentials(services().ledgerUrl);
    await callGateway('/run/echo/who', { bearer: bob });
    const echo = await lastCredentials(services().url);

    // Ledger's own ID token, so only the assertion decides.
    const replayed = await direct(services().ledgerUrl, {
      idToken: ledger.idToken,
      assertion: echo.assertion,
    });
    expect(replayed.status).toBe(401);
    expect(String(replayed.body.reason)).toMatch(/aud/);
    expect(
      (await direct(services().ledgerUrl, { idToken: ledger.idToken, assertion: ledger.assertion }))
        .status,
    ).toBe(200);
  });
});

describe('key rotation, while requests keep coming', () => {
  let original: AssertionKeySetDocument | undefined;

  afterAll(async () => {
    // Later test files sign with whatever is current; the rotated set is as valid as the first.
    original = undefined;
  });

  it('happy flow: next key published, then signing, then the old key retired, with no failed request', async () => {
    original = await storedKeySet();
    const oldKid = (await publishedKids())[0];
    const statuses: number[] = [];
    const kids = new Set<string>();
    let running = true;
    // A bounded stream of requests for the whole rotation.
    const traffic = (async () => {
      for (let i = 0; running && i < 2000; i += 1) {
        const response = await callGateway('/run/echo/rotation', { bearer: bob });
        statuses.push(response.status);
        const kid = (response.body as EchoReport).assertion?.kid;
        if (kid) kids.add(kid);
      }
    })();

    try {
      // 1. The next key is published before anything is signed with it.
      const withNext = await addNextKey(original);
      const nextKid = withNext.next?.jwk.kid;
      if (!nextKid) throw new Error('addNextKey made no next key');
      await seedAssertionKeys(moto().endpoint, moto().region, withNext);
      await eventually(async () => (await publishedKids()).includes(nextKid), 'next is published');
      expect(kids.has(nextKid)).toBe(false);

      // 2. It starts signing; the old key stays published.
      const promoted = promoteNextKey(withNext, { minPublishedSeconds: 0 });
      await seedAssertionKeys(moto().endpoint, moto().region, promoted);
      await eventually(async () => kids.has(nextKid), 'echo verified an assertion of the new key');
      expect(await publishedKids()).toEqual(expect.arrayContaining([nextKid, oldKid]));

      // 3. Once its window is over the old key is retired from the JWKS.
      const pruned = pruneRetiredKeys(promoted, { now: () => Date.now() + 7_200_000 });
      await seedAssertionKeys(moto().endpoint, moto().region, pruned);
      await eventually(
        async () => !(await publishedKids()).includes(oldKid ?? ''),
        'the old key left the JWKS',
      );
      const after = statuses.length;
      await eventually(async () => statuses.length > after + 3, 'more requests after pruning');
    } finally {
      running = false;
      await traffic;
    }
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, 90_000);
});
