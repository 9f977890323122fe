import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../../shared/errors';
import { scrubText } from '../../../../shared/scrub/scrub-text';
import type { SecretDetector } from '../../../../shared/scrub/secret-detector';
import { shortRuleId } from '../../../../shared/scrub/secretlint-detector';
import { fakeSecrets } from './fake-secrets';

const secrets = fakeSecrets();

describe('scrubText over secretlint', () => {
  it('redacts each kind of credential in a commit message and leaves the rest as it was', async () => {
    // Prepare
    const message = [
      'Add the deploy job',
      '',
      `aws_access_key_id = ${secrets.awsAccessKeyId}`,
      `aws_secret_access_key = ${secrets.awsSecretAccessKey}`,
      `GITHUB_TOKEN=${secrets.githubToken} for the release notes`,
      `slack: ${secrets.slackToken}`,
      secrets.pemPrivateKey,
      'Change-Id: I8473b95934b5732ac55d26311a706c9c2bde9940',
    ].join('\n');

    // Act
    const { text, redactions } = await scrubText(message);

    // Assess
    expect(text).toBe(
      [
        'Add the deploy job',
        '',
        'aws_access_key_id = [REDACTED:aws]',
        'aws_secret_access_key = [REDACTED:aws]',
        'GITHUB_TOKEN=[REDACTED:github] for the release notes',
        'slack: [REDACTED:slack]',
        '[REDACTED:privatekey]',
        'Change-Id: I8473b95934b5732ac55d26311a706c9c2bde9940',
      ].join('\n'),
    );
    expect(redactions).toEqual({ aws: 2, github: 1, slack: 1, privatekey: 1 });
  });

  it('redacts the whole AWS secret even where secretlint reports its range from the variable name', async () => {
    const line = `AWS_SECRET_ACCESS_KEY      =      "${secrets.awsSecretAccessKey}"`;
    const { text } = await scrubText(line);
    expect(text).toBe('AWS_SECRET_ACCESS_KEY      =      "[REDACTED:aws]"');
    expect(text).not.toContain(secrets.awsSecretAccessKey.slice(-8));
  });

  it('redacts AWS secret keys that end in / or +, which secretlint alone misses', async () => {
    const base = secrets.awsSecretAccessKey.slice(0, 39);
    for (const last of ['/', '+', 'Q']) {
      const key = base + last;
      for (const line of [`aws_secret_access_key = ${key}\n`, `AWS_SECRET_ACCESS_KEY: "${key}",`]) {
        const { text, redactions } = await scrubText(line);
        expect(text).not.toContain(key.slice(-12));
        expect(text).toContain('[REDACTED:aws]');
        expect(redactions).toEqual({ aws: 1 });
      }
    }
  });

  it('replaces a whole service-account key file with one gcp marker', async () => {
    const { text, redactions } = await scrubText(secrets.gcpServiceAccountJson);
    expect(text).toBe('[REDACTED:gcp]');
    expect(redactions).toEqual({ gcp: 1 });
  });

  it('finds the private key of a service-account key pasted into other text', async () => {
    const { text, redactions } = await scrubText(`creds:\n${secrets.gcpServiceAccountJson}\n`);
    expect(redactions).toEqual({ privatekey: 1 });
    expect(text).toContain('"private_key": "[REDACTED:privatekey]\\n"');
    expect(text).toContain('"type": "service_account"');
  });

  it('ignores secretlint-disable comments: a patch cannot exempt its own secret', async () => {
    const code = `// secretlint-disable\nconst token = "${secrets.githubToken}";\n// secretlint-enable`;
    const { text, redactions } = await scrubText(code);
    expect(text).toContain('const token = "[REDACTED:github]";');
    expect(redactions).toEqual({ github: 1 });
  });

  it('leaves AWS account ids alone: they identify an account, they grant nothing', async () => {
    const config = "const env = { AWS_ACCOUNT_ID: '123456789012', region: 'eu-west-1' };";
    expect(await scrubText(config)).toEqual({ text: config, redactions: {} });
  });

  it('keeps offsets right after a byte order mark', async () => {
    const { text } = await scrubText(`\uFEFFtoken=${secrets.githubToken};`);
    expect(text).toBe('\uFEFFtoken=[REDACTED:github];');
  });

  it('counts two occurrences of a secret as two redactions', async () => {
    const { text, redactions } = await scrubText(`${secrets.slackToken} and ${secrets.slackToken}`);
    expect(text).toBe('[REDACTED:slack] and [REDACTED:slack]');
    expect(redactions).toEqual({ slack: 2 });
  });

  it('finds nothing in ordinary code: the gateway sources and their tests', async () => {
    // Prepare: this repository's TypeScript, which holds no credentials (the fake ones are made
    // at run time), including AWS account ids and example JWTs in tests.
    const roots = ['shared', 'local', 'tests/helpers', 'tests/unit/shared/auth'];
    const files = roots.flatMap((root) =>
      readdirSync(root, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts'))
        .map((name) => join(root, name)),
    );
    expect(files.length).toBeGreaterThan(50);

    // Act
    const found: Record<string, unknown> = {};
    for (const file of files) {
      const { redactions } = await scrubText(readFileSync(file, 'utf8'));
      if (Object.keys(redactions).length > 0) found[file] = redactions;
    }

    // Assess
    expect(found).toEqual({});
  });
});

describe('scrubText with an injected detector', () => {
  it('uses the detector it is given and merges overlapping findings into one marker', async () => {
    const detector: SecretDetector = async (text) => {
      const start = text.indexOf('hunter2');
      return start === -1
        ? []
        : [
            { rule: 'password', start, end: start + 7 },
            { rule: 'other', start: start + 2, end: start + 9 },
          ];
    };
    const { text, redactions } = await scrubText('pw=hunter2!!', { detector });
    expect(text).toBe('pw=[REDACTED:password]');
    expect(redactions).toEqual({ password: 1 });
  });

  it('fails closed with an error that does not quote the text when the detector throws', async () => {
    const detector: SecretDetector = async (text) => {
      throw new Error(`cannot scan ${text}`);
    };
    const failure = await scrubText('secret-value-123', { detector }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(InternalError);
    expect((failure as InternalError).status).toBe(500);
    expect(JSON.stringify(failure)).not.toContain('secret-value-123');
    expect((failure as InternalError).message).not.toContain('secret-value-123');
    expect((failure as InternalError).cause).toBeUndefined();
  });
});

describe('shortRuleId', () => {
  it('drops the secretlint package prefix', () => {
    expect(shortRuleId('@secretlint/secretlint-rule-aws')).toBe('aws');
    expect(shortRuleId('@secretlint/secretlint-rule-database-connection-string')).toBe(
      'database-connection-string',
    );
    expect(shortRuleId('secretlint-rule-internal')).toBe('internal');
  });
});
