import { describe, expect, it } from 'vitest';
import { ForbiddenError, UpstreamError } from '../../../../shared/errors';
import { scrubFileContent } from '../../../../shared/scrub/gerrit-content-scrub';
import { fakeSecrets } from './fake-secrets';

const secrets = fakeSecrets();
const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const decoded = (content: string) => Buffer.from(content, 'base64').toString('utf8');

describe('scrubFileContent (GET .../files/{file}/content, base64)', () => {
  it('decodes, redacts each credential and re-encodes, the rest of the file byte for byte', async () => {
    // Prepare
    const file = [
      '# deploy credentials (do not commit)',
      `export AWS_ACCESS_KEY_ID=${secrets.awsAccessKeyId}`,
      `export AWS_SECRET_ACCESS_KEY=${secrets.awsSecretAccessKey}`,
      `export GH_TOKEN=${secrets.githubToken}`,
      `export SLACK_BOT_TOKEN=${secrets.slackToken}`,
      "cat > key.pem <<'EOF'",
      secrets.pemPrivateKey,
      'EOF',
      'echo "ünïcödé stays"',
      '',
    ].join('\n');

    // Act
    const result = await scrubFileContent(base64(file));

    // Assess
    expect(result.binary).toBe(false);
    expect(result.redactions).toEqual({ aws: 2, github: 1, slack: 1, privatekey: 1 });
    expect(decoded(result.content)).toBe(
      [
        '# deploy credentials (do not commit)',
        'export AWS_ACCESS_KEY_ID=[REDACTED:aws]',
        'export AWS_SECRET_ACCESS_KEY=[REDACTED:aws]',
        'export GH_TOKEN=[REDACTED:github]',
        'export SLACK_BOT_TOKEN=[REDACTED:slack]',
        "cat > key.pem <<'EOF'",
        '[REDACTED:privatekey]',
        'EOF',
        'echo "ünïcödé stays"',
        '',
      ].join('\n'),
    );
  });

  it('replaces a service-account key file as a whole', async () => {
    const result = await scrubFileContent(base64(secrets.gcpServiceAccountJson));
    expect(decoded(result.content)).toBe('[REDACTED:gcp]');
    expect(result.redactions).toEqual({ gcp: 1 });
  });

  it('returns the very same base64 when the file holds no credential', async () => {
    const content = base64('export const answer = 42;\n');
    expect(await scrubFileContent(content)).toEqual({ content, redactions: {}, binary: false });
  });

  it('withholds a binary file with 403 by default, passes it when told to', async () => {
    const png = base64(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]));
    const failure = await scrubFileContent(png).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ForbiddenError);
    expect((failure as ForbiddenError).status).toBe(403);
    expect(await scrubFileContent(png, { binary: 'pass' })).toEqual({
      content: png,
      redactions: {},
      binary: true,
    });
  });

  it('refuses content that is not base64 with 502', async () => {
    await expect(scrubFileContent('not base64 at all!')).rejects.toBeInstanceOf(UpstreamError);
  });
});
