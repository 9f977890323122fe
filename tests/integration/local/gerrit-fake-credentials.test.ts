import { extname } from 'node:path';
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_CHANGE } from '../../../local/gerrit/seed';
import { startGerritStandIn, type GerritStandIn } from '../../../local/gerrit/server';
import { gerritBasicClient } from '../../helpers/gerrit-basic-client';

/**
 * The credential change is what the agent-scrubbing tests read: its files and commit message
 * must hold credentials that secretlint's recommended preset (the detector the gateway uses)
 * really flags, as read through Gerrit's REST answers.
 */

let standIn: GerritStandIn;
let gerrit: ReturnType<typeof gerritBasicClient>;

beforeAll(async () => {
  standIn = await startGerritStandIn();
  gerrit = gerritBasicClient(standIn);
});

afterAll(async () => {
  await standIn?.close();
});

/**
 * The rule ids secretlint reports for one text. The file's extension matters: the GCP rule
 * only reads `.json` sources.
 */
async function detectedRules(filePath: string, content: string): Promise<string[]> {
  const result = await lintSource({
    source: { filePath, ext: extname(filePath), content, contentType: 'text' },
    options: {
      config: {
        rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }],
      },
      noPhysicFilePath: true,
    },
  });
  return [...new Set(result.messages.map((message) => message.ruleId))].sort();
}

async function fileContent(path: string): Promise<string> {
  const answer = await gerrit.get(
    `/a/changes/${CREDENTIALS_CHANGE}/revisions/current/files/${encodeURIComponent(path)}/content`,
    'bob',
  );
  expect(answer.status).toBe(200);
  return Buffer.from(answer.text, 'base64').toString('utf8');
}

describe('the seeded change with fake credentials', () => {
  it('happy flow: each credential file is flagged by the rule for its kind', async () => {
    expect(
      await detectedRules('aws-credentials', await fileContent('deploy/aws-credentials')),
    ).toEqual(['@secretlint/secretlint-rule-aws']);
    expect(await detectedRules('id_rsa', await fileContent('deploy/id_rsa'))).toEqual([
      '@secretlint/secretlint-rule-privatekey',
    ]);
    expect(await detectedRules('gcp-key.json', await fileContent('deploy/gcp-key.json'))).toEqual(
      expect.arrayContaining(['@secretlint/secretlint-rule-gcp']),
    );
  });

  it('happy flow: the AWS pair and the private key are flagged in the diff and the commit message', async () => {
    const diff = (
      await gerrit.get(
        `/a/changes/${CREDENTIALS_CHANGE}/revisions/current/files/deploy%2Faws-credentials/diff`,
        'bob',
      )
    ).json() as { content: { b?: string[] }[] };
    const added = diff.content.flatMap((block) => block.b ?? []).join('\n');
    const awsMessages = await lintSource({
      source: { filePath: 'diff', content: added, contentType: 'text' },
      options: {
        config: {
          rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }],
        },
        noPhysicFilePath: true,
      },
    });
    // The preset flags the secret half of the pair; the access key id alone only with the aws
    // rule's `enableIDScanRule` (off by default: an id is not a secret).
    expect(awsMessages.messages.map((message) => message.messageId)).toEqual([
      'AWSSecretAccessKey',
    ]);
    expect(added).toMatch(/^aws_access_key_id = AKIA[A-Z2-7]{16}$/m);
    const commit = (
      await gerrit.get(`/a/changes/${CREDENTIALS_CHANGE}/revisions/current/commit`, 'bob')
    ).json() as {
      message: string;
    };
    expect(await detectedRules('COMMIT_MSG', commit.message)).toEqual([
      '@secretlint/secretlint-rule-aws',
      '@secretlint/secretlint-rule-privatekey',
    ]);
  });

  it('happy flow: the other changes carry nothing secretlint flags', async () => {
    for (const change of standIn.data.changes.filter((c) => c.number !== CREDENTIALS_CHANGE)) {
      for (const file of change.files) {
        expect(
          await detectedRules(file.path, file.after ?? ''),
          `${change.number} ${file.path}`,
        ).toEqual([]);
      }
      expect(await detectedRules('COMMIT_MSG', change.commitMessage)).toEqual([]);
    }
  });
});
