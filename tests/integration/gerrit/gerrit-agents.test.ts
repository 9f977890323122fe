import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import configDocument from '../../../config/crossgate.json' with { type: 'json' };
import { startGerritStandIn, type GerritStandIn } from '../../../local/gerrit/server';
import { secretsManagerClient } from '../../../local/seed/moto-clients';
import { seedGerritSecret } from '../../../local/seed/gerrit-secret';
import type { Principal } from '../../../shared/auth/principal';
import { TokenVerifier } from '../../../shared/auth/token-verifier';
import { GerritClient } from '../../../shared/gerrit/gerrit-client';
import { GerritGroupMembership } from '../../../shared/gerrit/group-membership';
import { createGerritHandler } from '../../../shared/gerrit/handler';
import { parseGatewayConfig } from '../../../shared/modules/gateway-config';
import { SecretCache } from '../../../shared/secrets/secret-cache';
import { capturedLogger } from '../../helpers/captured-logger';
import { withSection } from '../../helpers/config';
import { addedLines, awsSecretsOf } from '../../helpers/gerrit-agent-checks';
import { gerritBasicClient } from '../../helpers/gerrit-basic-client';
import { httpApiEvent, lambdaContext } from '../../helpers/lambda-event';
import { stackConfigEnv, testStack, token } from '../../helpers/stack';

let standIn: GerritStandIn;
let handler: ReturnType<typeof createGerritHandler>;
let direct: ReturnType<typeof gerritBasicClient>;
const captured = capturedLogger();

async function get(pathAndQuery: string, who: string) {
  const [path = '/', query = ''] = pathAndQuery.split('?');
  const event = httpApiEvent('ANY /gerrit/a/{proxy+}', {
    method: 'GET',
    path: `/gerrit/a${path}`,
    headers: { authorization: `Bearer ${await token(who)}` },
  });
  const response = await handler({ ...event, rawQueryString: query }, lambdaContext(10_000));
  return { status: response.statusCode, headers: response.headers, text: String(response.body) };
}

const lastAudit = (): Record<string, unknown> => {
  const audits = captured.lines().filter((line) => line.message === 'audit');
  return (audits.at(-1)?.audit ?? {}) as Record<string, unknown>;
};

beforeAll(async () => {
  const stack = testStack();
  if (!stack.moto || !stack.cognito || !stack.oidc) throw new Error('the stack is incomplete');
  standIn = await startGerritStandIn();
  direct = gerritBasicClient(standIn);
  const secretId = `crossgate-test/gerrit-agents-${randomUUID()}`;
  await seedGerritSecret(stack.moto.endpoint, stack.moto.region, standIn.serviceAccount, secretId);
  const config = parseGatewayConfig(
    configDocument,
    stackConfigEnv({ CROSSGATE_GERRIT_URL: standIn.url, CROSSGATE_GERRIT_SECRET_ID: secretId }),
  );
  const verifier = TokenVerifier.create(config);
  const client = new GerritClient({
    baseUrl: standIn.url,
    credentialsSecretId: secretId,
    secrets: new SecretCache({
      client: secretsManagerClient(stack.moto.endpoint, stack.moto.region),
    }),
  });
  handler = createGerritHandler({
    dependencies: {
      config: withSection(config, 'gerrit'),
      // Which clients are agents is issuer config (issue 17, the agents work: `agents:
      // { clientIds: ["ops-agent"] }`); until that is on this branch, the test names ops-agent
      // an agent at the verifier's output, the one place the kind comes from.
      verifier: {
        verify: async (tokenText: string): Promise<Principal> => {
          const principal = await verifier.verify(tokenText);
          return principal.clientId === 'ops-agent' ? { ...principal, kind: 'agent' } : principal;
        },
      },
      logger: captured.logger,
    },
    gerrit: { client, membership: new GerritGroupMembership({ client, ttlSeconds: 60 }) },
  });
});

afterAll(async () => {
  await standIn?.close();
});

const DIFF = '/changes/11/revisions/current/files/deploy%2Faws-credentials/diff';

describe('gerrit function for agents', () => {
  it('happy flow: a person gets the diff byte for byte as Gerrit sent it', async () => {
    const gerrit = await direct.get(`/a${DIFF}`, 'bob');
    const bob = await get(DIFF, 'bob');
    expect(bob.status).toBe(200);
    expect(bob.text).toBe(gerrit.text);
  });

  it('happy flow: the agent gets the AWS keys redacted, every other line intact, and the audit counts', async () => {
    const clear = addedLines((await direct.get(`/a${DIFF}`, 'bob')).text);
    const secrets = awsSecretsOf(clear);
    const agent = await get(DIFF, 'ops-agent');
    expect(agent.status).toBe(200);
    expect(agent.text.startsWith(")]}'\n")).toBe(true);
    const lines = addedLines(agent.text);
    expect(lines).toHaveLength(clear.length);
    expect(agent.text).not.toContain(secrets.awsSecretAccessKey);
    expect(agent.text).not.toContain(secrets.awsAccessKeyId);
    expect(lines.filter((line, index) => line !== clear[index])).toHaveLength(2);
    expect(lines).toContain('region = us-east-1');
    const audit = lastAudit();
    expect(audit.redactions).toEqual({ aws: 2 });
    expect(audit.principal).toMatchObject({ kind: 'agent' });
    expect(captured.raw()).not.toContain(secrets.awsSecretAccessKey);
  });

  it('happy flow: file content (base64) and the commit message are scrubbed for the agent', async () => {
    const content = await get(
      '/changes/11/revisions/current/files/deploy%2Fid_rsa/content',
      'ops-agent',
    );
    expect(content.status).toBe(200);
    const file = Buffer.from(content.text, 'base64').toString('utf8');
    expect(file).toContain('[REDACTED:');
    expect(file).not.toMatch(/MII[A-Za-z0-9+/]{40}/);
    expect(lastAudit().redactions).toMatchObject({ privatekey: 1 });
    const commit = await get('/changes/11/revisions/current/commit', 'ops-agent');
    expect(commit.text).toContain('Add staging deploy credentials');
    expect(commit.text).toContain('[REDACTED:');
  });

  it('error flow: the sensitive project is invisible to the agent, visible to a person', async () => {
    const change = await get('/changes/12', 'ops-agent');
    expect(change).toMatchObject({ status: 404, text: 'Not found: 12\n' });
    expect((await get('/changes/secret-infra~12/detail', 'ops-agent')).status).toBe(404);
    expect((await get('/changes/12/revisions/current/files/', 'ops-agent')).status).toBe(404);
    expect((await get('/changes/12', 'bob')).status).toBe(200);

    const projects = await get('/projects/?d', 'ops-agent');
    expect(projects.status).toBe(200);
    expect(projects.text).not.toContain('secret-infra');
    expect(projects.text).toContain('"demo"');
    expect((await get('/projects/?d', 'bob')).text).toContain('secret-infra');

    const merged = await get('/changes/?q=status:merged&q=status:open', 'ops-agent');
    expect(merged.text).not.toContain('secret-infra');
    expect(merged.text).toContain('"_number":11');
    expect((await get('/changes/?q=status:merged', 'bob')).text).toContain('secret-infra');
  });
});
