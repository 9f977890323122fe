import { describe, expect, it } from 'vitest';
import { scrubResponseBody } from '../../../../shared/scrub/response-body-scrub';
import { scrubJsonValue } from '../../../../shared/scrub/scrub-json';
import { fakeSecrets } from './fake-secrets';

const secrets = fakeSecrets();

describe('scrubResponseBody (Cloud Run scrubForAgents)', () => {
  it('JSON: every string value scrubbed in place; names, formatting and big numbers byte for byte', async () => {
    // Prepare
    const json = `{\n  "id": 9007199254740993,\n  "note": "deploy with ${secrets.githubToken}",\n  "nested": [ {"key": ${JSON.stringify(secrets.pemPrivateKey)}}, 1.50 ],\n  "${'plain'}" : "nothing here"\n}`;

    // Act
    const result = await scrubResponseBody(Buffer.from(json), 'application/json; charset=utf-8');

    // Assess
    expect(result.scannedAs).toBe('json');
    expect(result.redactions).toEqual({ github: 1, privatekey: 1 });
    expect(result.body.toString()).toBe(
      `{\n  "id": 9007199254740993,\n  "note": "deploy with [REDACTED:github]",\n  "nested": [ {"key": "[REDACTED:privatekey]"}, 1.50 ],\n  "plain" : "nothing here"\n}`,
    );
  });

  it('problem+json and other +json types are JSON too', async () => {
    const body = Buffer.from(JSON.stringify({ detail: `token ${secrets.slackToken} expired` }));
    const result = await scrubResponseBody(body, 'application/problem+json');
    expect(result.scannedAs).toBe('json');
    expect(JSON.parse(result.body.toString())).toEqual({
      detail: 'token [REDACTED:slack] expired',
    });
  });

  it('text: scrubbed as text', async () => {
    const text = `AWS_ACCESS_KEY_ID=${secrets.awsAccessKeyId}\nhello\n`;
    const result = await scrubResponseBody(Buffer.from(text), 'text/plain');
    expect(result).toEqual({
      body: Buffer.from('AWS_ACCESS_KEY_ID=[REDACTED:aws]\nhello\n'),
      redactions: { aws: 1 },
      scannedAs: 'text',
    });
  });

  it('a body declared as JSON that does not parse is scrubbed as text, not passed on', async () => {
    const broken = `{"note": "${secrets.githubToken}",`;
    const result = await scrubResponseBody(Buffer.from(broken), 'application/json');
    expect(result.scannedAs).toBe('text');
    expect(result.body.toString()).toBe('{"note": "[REDACTED:github]",');
  });

  it('text that is not UTF-8 keeps every other byte', async () => {
    const latin1 = Buffer.concat([
      Buffer.from([0xe9, 0x74, 0xe9, 0x20]), // "été " in Latin-1
      Buffer.from(`key=${secrets.githubToken}`),
    ]);
    const result = await scrubResponseBody(latin1, 'text/plain; charset=iso-8859-1');
    expect(result.body).toEqual(
      Buffer.concat([Buffer.from([0xe9, 0x74, 0xe9, 0x20]), Buffer.from('key=[REDACTED:github]')]),
    );
  });

  it('other types pass untouched, and a clean body is the same Buffer', async () => {
    const bytes = Buffer.from(`${secrets.githubToken}`);
    expect(await scrubResponseBody(bytes, 'application/octet-stream')).toEqual({
      body: bytes,
      redactions: {},
      scannedAs: 'none',
    });
    expect((await scrubResponseBody(bytes, undefined)).scannedAs).toBe('none');
    const clean = Buffer.from('{"ok":true}');
    expect((await scrubResponseBody(clean, 'application/json')).body).toBe(clean);
  });
});

describe('scrubJsonValue', () => {
  it('scrubs string values at any depth, a bare string too, and leaves the input alone', async () => {
    const input = { a: [{ b: `x ${secrets.githubToken}` }], n: 3, t: true, z: null };
    const { value, redactions } = await scrubJsonValue(input);
    expect(value).toEqual({ a: [{ b: 'x [REDACTED:github]' }], n: 3, t: true, z: null });
    expect(input.a[0]?.b).toContain(secrets.githubToken);
    expect(redactions).toEqual({ github: 1 });
    expect((await scrubJsonValue(secrets.slackToken)).value).toBe('[REDACTED:slack]');
  });

  it('walks deep nesting without overflowing the stack', async () => {
    let deep: unknown = secrets.githubToken;
    for (let level = 0; level < 20_000; level += 1) deep = [deep];
    const { redactions } = await scrubJsonValue(deep);
    expect(redactions).toEqual({ github: 1 });
  });
});
