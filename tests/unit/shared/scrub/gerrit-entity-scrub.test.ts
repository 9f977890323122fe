import { describe, expect, it } from 'vitest';
import {
  scrubChangeInfo,
  scrubChangeMessages,
  scrubCommentMap,
  scrubCommitInfo,
} from '../../../../shared/scrub/gerrit-entity-scrub';
import type {
  ChangeInfoText,
  ChangeMessageInfo,
  CommentMap,
  CommitInfo,
} from '../../../../shared/scrub/gerrit-shapes';
import { gerritFixtureJson } from '../../../helpers/gerrit-fixtures';
import { fakeSecrets } from './fake-secrets';

const secrets = fakeSecrets();
const commitMessage = [
  'Wire the release bot',
  '',
  `Uses ${secrets.githubToken} until the app is installed.`,
  `aws_access_key_id=${secrets.awsAccessKeyId}`,
  `aws_secret_access_key=${secrets.awsSecretAccessKey}`,
  '',
  'Change-Id: I8473b95934b5732ac55d26311a706c9c2bde9940',
].join('\n');
const scrubbedCommitMessage = [
  'Wire the release bot',
  '',
  'Uses [REDACTED:github] until the app is installed.',
  'aws_access_key_id=[REDACTED:aws]',
  'aws_secret_access_key=[REDACTED:aws]',
  '',
  'Change-Id: I8473b95934b5732ac55d26311a706c9c2bde9940',
].join('\n');

describe('Gerrit entity scrubbers', () => {
  it('ChangeInfo: subject, change messages and each revision commit message, the rest untouched', async () => {
    // Prepare: Gerrit's documented ChangeInfo, with o=MESSAGES and o=ALL_COMMITS members.
    const documented = gerritFixtureJson('get-change.json') as ChangeInfoText;
    const change: ChangeInfoText = {
      ...documented,
      subject: `Rotate ${secrets.slackToken}`,
      messages: [
        { id: 'm1', message: 'Uploaded patch set 1.' },
        { id: 'm2', message: `Patch Set 1:\n\nuse ${secrets.githubToken} instead` },
      ],
      revisions: {
        '674ac754f91e64a0efb8087e59a176484bd534d1': {
          _number: 1,
          commit: { subject: 'Wire the release bot', message: commitMessage },
          commit_with_footers: commitMessage,
        },
      },
    };

    // Act
    const { value, redactions } = await scrubChangeInfo(change);

    // Assess
    expect(value.subject).toBe('Rotate [REDACTED:slack]');
    expect(value.messages?.map((message) => message.message)).toEqual([
      'Uploaded patch set 1.',
      'Patch Set 1:\n\nuse [REDACTED:github] instead',
    ]);
    const revision = value.revisions?.['674ac754f91e64a0efb8087e59a176484bd534d1'];
    expect(revision?.commit?.message).toBe(scrubbedCommitMessage);
    expect(revision?.commit_with_footers).toBe(scrubbedCommitMessage);
    expect(redactions).toEqual({ slack: 1, github: 3, aws: 4 });
    const { subject: _s, messages: _m, revisions: _r, ...rest } = value;
    const { subject: _s2, messages: _m2, revisions: _r2, ...documentedRest } = change;
    expect(rest).toEqual(documentedRest);
  });

  it('a query answer (list of lists) is scrubbed throughout', async () => {
    const changes = gerritFixtureJson('query-changes.json') as ChangeInfoText[];
    const withSecret = [[{ ...changes[0], subject: `Add ${secrets.githubToken}` }], [changes[1]]];
    const { value, redactions } = await scrubChangeInfo(withSecret as ChangeInfoText[][]);
    expect(value[0]?.[0]?.subject).toBe('Add [REDACTED:github]');
    expect(value[1]).toEqual([changes[1]]);
    expect(redactions).toEqual({ github: 1 });
  });

  it('CommitInfo: message redacted, author and parents kept', async () => {
    const commit: CommitInfo = {
      commit: '674ac754f91e64a0efb8087e59a176484bd534d1',
      parents: [{ commit: '1eee2c9d8f352483781e772f35dc586a69ff5646', subject: 'Parent' }],
      author: {
        name: 'Bob',
        email: 'bob@example.com',
        date: '2013-05-07 15:21:27.000000000',
        tz: 120,
      },
      subject: 'Wire the release bot',
      message: commitMessage,
    };
    const { value, redactions } = await scrubCommitInfo(commit);
    expect(value).toEqual({ ...commit, message: scrubbedCommitMessage });
    expect(redactions).toEqual({ github: 1, aws: 2 });
  });

  it('CommitInfo: a PEM key, a Slack token and a pasted service-account key in one message', async () => {
    const message = `Debug notes\n\n${secrets.pemPrivateKey}\nslack ${secrets.slackToken}\n${secrets.gcpServiceAccountJson}\n`;
    const { value, redactions } = await scrubCommitInfo({ subject: 'Debug notes', message });
    expect(redactions).toEqual({ privatekey: 2, slack: 1 });
    const scrubbedJson = secrets.gcpServiceAccountJson.replace(
      /"private_key": ".*?",/,
      '"private_key": "[REDACTED:privatekey]\\n",',
    );
    expect(value.message).toBe(
      `Debug notes\n\n[REDACTED:privatekey]\nslack [REDACTED:slack]\n${scrubbedJson}\n`,
    );
  });

  it('ChangeMessageInfo list: each message is its own text', async () => {
    const messages: ChangeMessageInfo[] = [
      { id: 'a', message: `-----BEGIN PRIVATE KEY-----` },
      { id: 'b', message: `${secrets.pemPrivateKey.split('\n').slice(1).join('\n')}` },
    ];
    // Half a key in each of two messages is not assembled into one finding across them.
    const { value, redactions } = await scrubChangeMessages(messages);
    expect(redactions).toEqual({});
    expect(value).toEqual(messages);
  });

  it('CommentInfo map: messages and context lines, a PEM block across context lines found', async () => {
    // Prepare
    const pemLines = secrets.pemPrivateKey.split('\n');
    const comments: CommentMap = {
      'deploy/key.pem': [
        {
          id: 'c1',
          line: 1,
          message: `Please remove this, and rotate ${secrets.awsAccessKeyId} too`,
          context_lines: pemLines.map((line, index) => ({
            line_number: index + 1,
            context_line: line,
          })),
        },
      ],
      'README.md': [{ id: 'c2', line: 3, message: 'Typo: "recieve".' }],
    };

    // Act
    const { value, redactions } = await scrubCommentMap(comments);

    // Assess
    const [comment] = value['deploy/key.pem'] ?? [];
    expect(comment?.message).toBe('Please remove this, and rotate [REDACTED:aws] too');
    expect(comment?.context_lines?.map((line) => line.context_line)).toEqual(
      pemLines.map(() => '[REDACTED:privatekey]'),
    );
    expect(comment?.context_lines?.map((line) => line.line_number)).toEqual(
      pemLines.map((_line, index) => index + 1),
    );
    expect(value['README.md']).toEqual(comments['README.md']);
    expect(redactions).toEqual({ aws: 1, privatekey: 1 });
  });
});
