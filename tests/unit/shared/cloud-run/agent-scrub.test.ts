import { describe, expect, it } from 'vitest';
import { scrubAnswer, scrubsFor } from '../../../../shared/cloud-run/agent-scrub';
import { cloudRunServiceSchema } from '../../../../shared/cloud-run/config-schema';
import type { SecretDetector } from '../../../../shared/scrub/secret-detector';
import { bobPrincipal as bob, ciBotPrincipal as ciBot } from '../../../helpers/seed-principals';
import { fakeSecrets } from '../scrub/fake-secrets';

const service = (scrubForAgents?: boolean) =>
  cloudRunServiceSchema.parse({
    url: 'https://svc.example.test',
    policy: { authenticated: true },
    ...(scrubForAgents === undefined ? {} : { scrubForAgents }),
  });
const agent = { ...ciBot, subject: 'ops-agent', clientId: 'ops-agent', kind: 'agent' as const };

describe('scrubsFor', () => {
  it('happy flow: only agents, and only on services that opted in (off by default)', () => {
    expect(scrubsFor(agent, service(true))).toBe(true);
    expect(scrubsFor(agent, service())).toBe(false);
    expect(scrubsFor(bob, service(true))).toBe(false);
    expect(scrubsFor(ciBot, service(true))).toBe(false);
  });
});

describe('scrubAnswer', () => {
  const headers = {
    'content-type': 'application/json',
    etag: '"v1"',
    digest: 'sha-256=abc',
    'content-digest': 'sha-256=:abc:',
    'cache-control': 'no-store',
  };

  it('happy flow: a redaction drops the headers bound to the old bytes and keeps the others', async () => {
    const { awsAccessKeyId } = fakeSecrets();
    const result = await scrubAnswer(
      Buffer.from(JSON.stringify({ id: awsAccessKeyId, n: 1 })),
      headers,
      'application/json',
    );
    expect(result.body.toString()).not.toContain(awsAccessKeyId);
    expect(JSON.parse(result.body.toString())).toMatchObject({ n: 1 });
    expect(result.headers).toEqual({
      'content-type': 'application/json',
      'cache-control': 'no-store',
    });
    expect(Object.values(result.redactions).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('happy flow: nothing found keeps the same bytes and every header', async () => {
    const body = Buffer.from('{"hello":"world"}');
    const result = await scrubAnswer(body, headers, 'application/json');
    expect(result.body).toBe(body);
    expect(result.headers).toEqual(headers);
    expect(result.redactions).toEqual({});
  });

  it('happy flow: a binary type is passed untouched without asking the detector', async () => {
    let calls = 0;
    const detector: SecretDetector = async () => {
      calls += 1;
      return [];
    };
    const body = Buffer.from([0, 1, 2]);
    const result = await scrubAnswer(body, headers, 'image/png', { detector });
    expect(result.body).toBe(body);
    expect(calls).toBe(0);
  });
});
