import { beforeAll, describe, expect, it } from 'vitest';
import { addedLines, awsSecretsOf } from '../helpers/gerrit-agent-checks';
import { callGateway, token } from '../helpers/stack';

/**
 * Agents through serverless offline (issue 17): ops-agent (principal kind `agent`, named in
 * the issuer's config) reads the change that carries fake credentials (11) scrubbed, bob reads
 * it as Gerrit sent it; the sensitive project's change (12) does not exist for ops-agent.
 */

const DIFF = (file: string) =>
  `/gerrit/a/changes/11/revisions/current/files/${encodeURIComponent(file)}/diff`;

let bobToken: string;
let agentToken: string;

beforeAll(async () => {
  bobToken = await token('bob');
  agentToken = await token('ops-agent');
});

describe('Gerrit answers for agents', () => {
  it('happy flow: ops-agent reads the AWS key file with both keys redacted and the rest intact; bob reads it clear', async () => {
    const clear = await callGateway(DIFF('deploy/aws-credentials'), { bearer: bobToken });
    const scrubbed = await callGateway(DIFF('deploy/aws-credentials'), { bearer: agentToken });
    expect(clear.status).toBe(200);
    expect(scrubbed.status).toBe(200);
    expect(scrubbed.text.startsWith(")]}'\n")).toBe(true);
    const secrets = awsSecretsOf(addedLines(clear.text));
    expect(secrets.awsSecretAccessKey).toMatch(/^\S{40}$/);
    expect(scrubbed.text).not.toContain(secrets.awsSecretAccessKey);
    expect(scrubbed.text).not.toContain(secrets.awsAccessKeyId);
    const lines = addedLines(scrubbed.text);
    expect(lines).toContain('[staging]');
    expect(lines).toContain('region = us-east-1');
    expect(lines.filter((line) => line.includes('[REDACTED:'))).toHaveLength(2);
    expect(lines).toHaveLength(addedLines(clear.text).length);
  });

  it('happy flow: the PEM key and the GCP key file are redacted for ops-agent, clear for bob', async () => {
    for (const file of ['deploy/id_rsa', 'deploy/gcp-key.json']) {
      const clear = await callGateway(DIFF(file), { bearer: bobToken });
      const scrubbed = await callGateway(DIFF(file), { bearer: agentToken });
      expect(clear.text, file).toMatch(/PRIVATE KEY/);
      expect(scrubbed.status, file).toBe(200);
      expect(scrubbed.text, file).toContain('[REDACTED:');
      expect(scrubbed.text, file).not.toMatch(/MII[A-Za-z0-9+/]{40}/);
    }
  });

  it('happy flow: the commit message is scrubbed for ops-agent, its subject intact', async () => {
    const path = '/gerrit/a/changes/11/revisions/current/commit';
    const clear = await callGateway(path, { bearer: bobToken });
    const scrubbed = await callGateway(path, { bearer: agentToken });
    const secret = /aws_secret_access_key = (\S+)/.exec(clear.text)?.[1];
    expect(secret).toBeDefined();
    expect(scrubbed.text).not.toContain(secret);
    expect(scrubbed.text).toContain('Add staging deploy credentials');
  });

  it('error flow: the sensitive project is invisible to ops-agent and visible to bob', async () => {
    const agentChange = await callGateway('/gerrit/a/changes/12', { bearer: agentToken });
    expect(agentChange.status).toBe(404);
    expect(agentChange.text).toBe('Not found: 12\n');
    const agentFiles = await callGateway('/gerrit/a/changes/12/revisions/current/files/', {
      bearer: agentToken,
    });
    expect(agentFiles.status).toBe(404);
    expect((await callGateway('/gerrit/a/changes/12', { bearer: bobToken })).status).toBe(200);

    const projects = await callGateway('/gerrit/a/projects/?d', { bearer: agentToken });
    expect(projects.status).toBe(200);
    expect(projects.text).not.toContain('secret-infra');
    expect(projects.text).toContain('"demo"');
    const query = await callGateway('/gerrit/a/changes/?q=status:merged', { bearer: agentToken });
    expect(query.status).toBe(200);
    expect(query.text).not.toContain('secret-infra');
    const bobQuery = await callGateway('/gerrit/a/changes/?q=status:merged', { bearer: bobToken });
    expect(bobQuery.text).toContain('secret-infra');
  });
});
