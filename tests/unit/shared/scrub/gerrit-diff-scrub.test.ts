import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../../shared/errors';
import { scrubDiffInfo } from '../../../../shared/scrub/gerrit-diff-scrub';
import type { DiffInfo } from '../../../../shared/scrub/gerrit-shapes';
import { fakeSecrets } from './fake-secrets';

const secrets = fakeSecrets();
const pemLines = secrets.pemPrivateKey.split('\n');

/** A diff of deploy/settings.py where the new side adds credentials of every kind. */
function settingsDiff(): DiffInfo {
  return {
    meta_a: { name: 'deploy/settings.py', content_type: 'text/x-python', lines: 5 },
    meta_b: {
      name: 'deploy/settings.py',
      content_type: 'text/x-python',
      lines: 11 + pemLines.length,
    },
    change_type: 'MODIFIED',
    diff_header: [
      'diff --git a/deploy/settings.py b/deploy/settings.py',
      'index 2f6d1c3..8c1e0a4 100644',
      '--- a/deploy/settings.py',
      '+++ b/deploy/settings.py',
    ],
    content: [
      { ab: ['import os', '', 'REGION = "eu-west-1"'] },
      {
        a: ['TIMEOUT = 30'],
        b: ['TIMEOUT = 60', `GITHUB_TOKEN = "${secrets.githubToken}"`],
        edit_a: [[10, 2]],
        edit_b: [
          [10, 2],
          [1, 40],
        ],
      },
      {
        b: [
          `aws_access_key_id = "${secrets.awsAccessKeyId}"`,
          `aws_secret_access_key = "${secrets.awsSecretAccessKey}"`,
          `SLACK = "${secrets.slackToken}"`,
          'SIGNING_KEY = """',
          ...pemLines,
          '"""',
        ],
      },
      { ab: ['', 'def main():', '    return 0'] },
    ],
  };
}

describe('scrubDiffInfo', () => {
  it('redacts every credential on the new side, line by line, and leaves the rest intact', async () => {
    // Prepare
    const diff = settingsDiff();

    // Act
    const { value, redactions } = await scrubDiffInfo(diff);

    // Assess
    expect(redactions).toEqual({ github: 1, aws: 2, slack: 1, privatekey: 1 });
    expect(value.content[0]).toEqual(diff.content[0]);
    expect(value.content[1]?.a).toEqual(['TIMEOUT = 30']);
    expect(value.content[1]?.b).toEqual(['TIMEOUT = 60', 'GITHUB_TOKEN = "[REDACTED:github]"']);
    expect(value.content[2]?.b).toEqual([
      'aws_access_key_id = "[REDACTED:aws]"',
      'aws_secret_access_key = "[REDACTED:aws]"',
      'SLACK = "[REDACTED:slack]"',
      'SIGNING_KEY = """',
      // A PEM block spans lines: each of its lines holds a marker, so the line count stays.
      ...pemLines.map(() => '[REDACTED:privatekey]'),
      '"""',
    ]);
    expect(value.content[3]).toEqual(diff.content[3]);
    expect(value.diff_header).toEqual(diff.diff_header);
    expect(value.meta_b).toEqual(diff.meta_b);
    const serialized = JSON.stringify(value);
    for (const secret of [
      secrets.githubToken,
      secrets.awsAccessKeyId,
      secrets.awsSecretAccessKey,
      secrets.slackToken,
      pemLines[5] as string,
    ]) {
      expect(serialized).not.toContain(secret);
    }
  });

  it('drops the intraline edits of a region it changed (their offsets point into the clear text), keeps the others', async () => {
    const { value } = await scrubDiffInfo(settingsDiff());
    expect(value.content[1]?.edit_b).toBeUndefined();
    expect(value.content[1]?.edit_a).toEqual([[10, 2]]);
  });

  it('does not change its input', async () => {
    const diff = settingsDiff();
    const before = structuredClone(diff);
    await scrubDiffInfo(diff);
    expect(diff).toEqual(before);
  });

  it('finds a PEM block whose middle line was changed, across unchanged and added lines', async () => {
    // Prepare: the key existed before; one of its lines changed. Side B reads BEGIN..END only
    // when the common lines and the added line are scanned as one text.
    const middle = Math.floor(pemLines.length / 2);
    const diff: DiffInfo = {
      content: [
        { ab: pemLines.slice(0, middle) },
        { a: ['old line of the key, replaced'], b: [pemLines[middle] as string] },
        { ab: pemLines.slice(middle + 1) },
      ],
    };

    // Act
    const { value, redactions } = await scrubDiffInfo(diff);

    // Assess: counted once although common lines are part of both sides.
    expect(redactions).toEqual({ privatekey: 1 });
    expect(value.content[0]?.ab?.every((line) => line === '[REDACTED:privatekey]')).toBe(true);
    expect(value.content[1]?.b).toEqual(['[REDACTED:privatekey]']);
    expect(value.content[1]?.a).toEqual(['old line of the key, replaced']);
    expect(value.content[2]?.ab?.every((line) => line === '[REDACTED:privatekey]')).toBe(true);
  });

  it('redacts the private key of a service-account key file added in a change, the rest intact', async () => {
    // Prepare: a new file, all `b` lines; the key sits in one JSON string with \n escapes.
    const lines = secrets.gcpServiceAccountJson.split('\n');
    const diff: DiffInfo = {
      meta_b: { name: 'deploy/sa.json', content_type: 'application/json', lines: lines.length },
      change_type: 'ADDED',
      content: [{ b: lines }],
    };

    // Act
    const { value, redactions } = await scrubDiffInfo(diff);

    // Assess
    expect(redactions).toEqual({ privatekey: 1 });
    expect(value.content[0]?.b).toEqual(
      lines.map((line) =>
        line.startsWith('  "private_key":') ? '  "private_key": "[REDACTED:privatekey]\\n",' : line,
      ),
    );
    expect(JSON.stringify(value)).not.toContain(secrets.pemPrivateKey.split('\n')[3]);
  });

  it('redacts a credential on the old side (a removed line) too', async () => {
    const diff: DiffInfo = {
      content: [{ a: [`token: ${secrets.githubToken}`], b: ['token: ${GITHUB_TOKEN}'] }],
    };
    const { value, redactions } = await scrubDiffInfo(diff);
    expect(value.content[0]?.a).toEqual(['token: [REDACTED:github]']);
    expect(value.content[0]?.b).toEqual(['token: ${GITHUB_TOKEN}']);
    expect(redactions).toEqual({ github: 1 });
  });

  it('answers an ordinary diff unchanged with no redactions', async () => {
    const diff: DiffInfo = {
      content: [
        { ab: ['export function add(a: number, b: number) {'] },
        { a: ['  return a - b;'], b: ['  return a + b;'], edit_a: [[11, 1]], edit_b: [[11, 1]] },
        { skip: 120 },
        { ab: ['}'] },
      ],
    };
    expect(await scrubDiffInfo(diff)).toEqual({ value: diff, redactions: {} });
  });

  it('refuses a diff whose lines it cannot read rather than pass it on unscanned', async () => {
    const broken = JSON.parse('{"content":[{"b":[42]}]}') as DiffInfo;
    await expect(scrubDiffInfo(broken)).rejects.toBeInstanceOf(UpstreamError);
  });
});
