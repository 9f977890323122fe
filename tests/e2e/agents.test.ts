import { beforeAll, describe, expect, it } from 'vitest';
import { callGateway, token } from '../helpers/stack';
import { fakeSecrets, type FakeSecrets } from '../unit/shared/scrub/fake-secrets';

/**
 * AI agents through serverless offline (issue 17, Cloud Run and Spanner): ops-agent (the OIDC
 * provider's ES256 client, named an agent in config) is of kind `agent` everywhere; the echo
 * sample service is also configured as `echo-agents` (policy `{ kind: agent }`, scrubForAgents),
 * so what the agent reads back is scrubbed while bob's answer from echo is unchanged;
 * Singers.Email is masked for everyone but admins. The audit counts are checked in process
 * (tests/integration/cloud-run/agent-scrub.test.ts): the offline stack's logs are not visible
 * from here.
 */

interface EchoReport {
  headers: Record<string, string>;
  assertion?: { claims: Record<string, unknown> };
}

const post = (path: string, bearer: string, body: string, contentType = 'application/json') =>
  callGateway(path, {
    method: 'POST',
    bearer,
    headers: { 'content-type': contentType },
    body,
  });

let agent: string;
let bob: string;
let alice: string;
let secrets: FakeSecrets;

beforeAll(async () => {
  [agent, bob, alice] = await Promise.all([token('ops-agent'), token('bob'), token('alice')]);
  secrets = fakeSecrets();
});

describe('ops-agent is an agent', () => {
  it('happy flow: /me shows kind agent, echo-agents allowed (kind policy), echo and ledger not', async () => {
    const response = await callGateway('/me', { bearer: agent });
    expect(response.status).toBe(200);
    const body = response.body as {
      principal: Record<string, unknown>;
      allowed: { route: string; target?: string }[];
    };
    expect(body.principal).toMatchObject({
      subject: 'ops-agent',
      username: 'ops-agent',
      kind: 'agent',
      issuerName: 'machines',
    });
    expect(body.allowed).toContainEqual(expect.objectContaining({ target: 'echo-agents' }));
    expect(body.allowed).not.toContainEqual(expect.objectContaining({ target: 'echo' }));
    expect(body.allowed).toContainEqual(expect.objectContaining({ target: 'getSinger' }));
    expect(body.allowed).not.toContainEqual(expect.objectContaining({ target: 'ledger' }));
  });

  it('happy flow: echo sees kind agent in the identity header and in the verified assertion, and was asked for identity encoding', async () => {
    const response = await callGateway('/run/echo-agents/hello', { bearer: agent });
    expect(response.status, response.text).toBe(200);
    const report = response.body as EchoReport;
    expect(report.headers['x-crossgate-principal-kind']).toBe('agent');
    expect(report.headers['accept-encoding']).toBe('identity');
    expect(report.assertion?.claims).toMatchObject({ kind: 'agent', username: 'ops-agent' });
  });

  it('error flow: ledger excludes agents with 403 naming the missing requirement', async () => {
    const response = await callGateway('/run/ledger/entries', { bearer: agent });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('Cloud Run scrubForAgents (the echo sample service /mirror, as echo and echo-agents)', () => {
  it('error flow: bob (a person) is 403 on echo-agents, whose policy is { kind: agent }', async () => {
    const response = await callGateway('/run/echo-agents/hello', { bearer: bob });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ missingPermission: 'kind:agent' });
  });

  it('happy flow: the agent posts a fake AWS key pair and reads it back redacted, the rest intact', async () => {
    const sent = JSON.stringify({
      region: 'eu-west-1',
      accessKeyId: secrets.awsAccessKeyId,
      config: `aws_secret_access_key=${secrets.awsSecretAccessKey}`,
    });
    const response = await post('/run/echo-agents/mirror', agent, sent);
    expect(response.status).toBe(200);
    expect(response.text).not.toContain(secrets.awsAccessKeyId);
    expect(response.text).not.toContain(secrets.awsSecretAccessKey);
    const body = response.body as Record<string, string>;
    expect(body.region).toBe('eu-west-1');
    expect(body.accessKeyId).toMatch(/^\[REDACTED:[a-z-]+\]$/);
    expect(body.config).toMatch(/^aws_secret_access_key=\[REDACTED:[a-z-]+\]$/);
    // echo's etag names the bytes it sent; they were changed, so it is gone.
    expect(response.headers.get('etag')).toBeNull();
  });

  it('happy flow: a PEM private key in a text answer is redacted for the agent', async () => {
    const response = await post(
      '/run/echo-agents/mirror',
      agent,
      `key:\n${secrets.pemPrivateKey}\nend\n`,
      'text/plain',
    );
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/^key:\n.*\[REDACTED:[a-z-]+\]/s);
    expect(response.text.endsWith('\nend\n')).toBe(true);
    expect(response.text).not.toContain(secrets.pemPrivateKey.split('\n')[1]);
  });

  it('happy flow: bob posts the same and gets it back byte for byte, etag included', async () => {
    const sent = JSON.stringify({ accessKeyId: secrets.awsAccessKeyId });
    const response = await post('/run/echo/mirror', bob, sent);
    expect(response.status).toBe(200);
    expect(response.text).toBe(sent);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{16}"$/);
  });
});

describe('Spanner Email masking per caller', () => {
  const getSinger = (bearer: string) =>
    post('/spanner/getSinger', bearer, JSON.stringify({ params: { id: 2 } }));

  it('happy flow: alice (admins) reads the email in clear', async () => {
    const response = await getSinger(alice);
    expect(response.status).toBe(200);
    expect((response.body as { rows: unknown[][] }).rows).toEqual([
      ['2', 'Catalina', 'Smith', 'catalina.smith@example.com'],
    ]);
  });

  it('happy flow: bob and ops-agent get ***@domain, never the address', async () => {
    for (const bearer of [bob, agent]) {
      const response = await getSinger(bearer);
      expect(response.status).toBe(200);
      expect((response.body as { rows: unknown[][] }).rows).toEqual([
        ['2', 'Catalina', 'Smith', '***@example.com'],
      ]);
      expect(response.text).not.toContain('catalina.smith');
    }
  });

  it('happy flow: listSingers hashes the email with the deployment key: the same for bob and ops-agent, clear for alice', async () => {
    const emails = async (bearer: string) => {
      const response = await post('/spanner/listSingers', bearer, '{"params":{}}');
      expect(response.status).toBe(200);
      return (response.body as { rows: unknown[][] }).rows.slice(0, 4).map((row) => row[3]);
    };
    const [forBob, forAgent, forAlice] = await Promise.all([
      emails(bob),
      emails(agent),
      emails(alice),
    ]);
    expect(forAlice).toEqual([
      'marc.richards@example.com',
      'catalina.smith@example.com',
      'alice.trentor@example.com',
      'lea.martin@example.com',
    ]);
    expect(forAgent).toEqual(forBob);
    expect(forBob.every((email) => /^hmac:[0-9a-f]{32}$/.test(String(email)))).toBe(true);
    expect(new Set(forBob).size).toBe(4);
  });
});
