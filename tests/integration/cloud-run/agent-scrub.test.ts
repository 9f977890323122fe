import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenVerifier } from '../../../shared/auth/token-verifier';
import { createRunHandler, type RunConfig } from '../../../shared/cloud-run/handler';
import { RUN_ROUTE } from '../../../shared/cloud-run/module';
import { cloudRunSchema } from '../../../shared/cloud-run/config-schema';
import { listenOn, type ListeningServer } from '../../../local/listen';
import { capturedLogger } from '../../helpers/captured-logger';
import { withSection } from '../../helpers/config';
import { httpApiEvent, lambdaContext } from '../../helpers/lambda-event';
import { stackConfig, token } from '../../helpers/stack';
import { fakeSecrets, type FakeSecrets } from '../../unit/shared/scrub/fake-secrets';

/**
 * The run handler in process, with real tokens (moto's Cognito for bob, the OIDC provider for
 * ops-agent), forwarding over loopback to a service that mirrors the request body back with an
 * etag, so that what the agent gets, what bob gets and what the audit event says can all be
 * checked. The Google ID token and the caller assertion are fixed strings here: this test is
 * about the answer, and tests/e2e/run.test.ts covers both credentials against real verifiers.
 */

let upstream: ListeningServer;
let lastHeaders: IncomingHttpHeaders = {};
let secrets: FakeSecrets;
let verifier: TokenVerifier;
let config: RunConfig;

beforeAll(async () => {
  secrets = fakeSecrets();
  upstream = await listenOn(
    createServer((request, response) => {
      lastHeaders = request.headers;
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        response.writeHead(200, {
          'content-type': request.headers['content-type'] ?? 'application/octet-stream',
          'content-length': body.length,
          etag: '"mirror-v1"',
        });
        response.end(body);
      });
    }),
    '127.0.0.1',
  );
  const stack = stackConfig();
  const service = (scrubForAgents: boolean) => ({
    url: upstream.url,
    methods: ['POST'],
    policy: { authenticated: true },
    scrubForAgents,
  });
  config = withSection(
    {
      ...stack,
      cloudRun: cloudRunSchema.parse({
        gcp: { credentialsSecretId: 'unused' },
        services: { mirror: service(true), plain: service(false) },
      }),
    },
    'cloudRun',
  );
  verifier = TokenVerifier.create(config);
});

afterAll(async () => {
  await upstream?.close();
});

async function post(service: string, bearer: string, contentType: string, body: string) {
  const capture = capturedLogger();
  const handler = createRunHandler({
    dependencies: { config, verifier, logger: capture.logger },
    credentials: { idToken: async () => 'id-token-for-test', forgetIdToken: () => {} },
    assertions: { assertionFor: async () => 'assertion-for-test' },
  });
  const response = await handler(
    httpApiEvent(RUN_ROUTE, {
      method: 'POST',
      path: `/run/${service}/mirror`,
      pathParameters: { service, proxy: 'mirror' },
      headers: { authorization: `Bearer ${bearer}`, 'content-type': contentType },
      body,
    }),
    lambdaContext(),
  );
  const audits = capture.lines().filter((line) => line.message === 'audit');
  expect(audits).toHaveLength(1);
  return {
    response,
    audit: audits[0]?.audit as Record<string, unknown>,
    raw: capture.raw(),
    upstreamHeaders: lastHeaders,
  };
}

describe('Cloud Run scrubForAgents', () => {
  it('happy flow: an agent gets JSON with the AWS key pair redacted, the rest intact, and the audit counts per rule', async () => {
    const document = {
      note: 'deploy with these',
      keyId: secrets.awsAccessKeyId,
      secret: `aws_secret_access_key = ${secrets.awsSecretAccessKey}`,
      count: 3,
    };
    const { response, audit, raw, upstreamHeaders } = await post(
      'mirror',
      await token('ops-agent'),
      'application/json',
      JSON.stringify(document),
    );
    expect(response.statusCode).toBe(200);
    expect(upstreamHeaders['accept-encoding']).toBe('identity');
    const body = JSON.parse(response.body ?? '') as typeof document;
    expect(body.note).toBe('deploy with these');
    expect(body.count).toBe(3);
    expect(body.keyId).toMatch(/^\[REDACTED:[a-z-]+\]$/);
    expect(body.secret).toMatch(/\[REDACTED:[a-z-]+\]/);
    expect(response.body).not.toContain(secrets.awsAccessKeyId);
    expect(response.body).not.toContain(secrets.awsSecretAccessKey);
    // The body changed: its validator would now lie.
    expect(response.headers?.etag).toBeUndefined();
    expect(audit).toMatchObject({ principal: { kind: 'agent', username: 'ops-agent' } });
    const redactions = audit.redactions as Record<string, number>;
    expect(Object.values(redactions).reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(
      2,
    );
    // Counts only: the log never carries what was redacted.
    expect(raw).not.toContain(secrets.awsAccessKeyId);
    expect(raw).not.toContain(secrets.awsSecretAccessKey);
  });

  it('happy flow: a PEM private key in text is redacted for the agent', async () => {
    const text = `before\n${secrets.pemPrivateKey}\nafter\n`;
    const { response, audit } = await post('mirror', await token('ops-agent'), 'text/plain', text);
    expect(response.body).toContain('before\n');
    expect(response.body).toContain('\nafter\n');
    expect(response.body).not.toContain('PRIVATE KEY-----\nMII');
    expect(Object.keys(audit.redactions as object).length).toBeGreaterThan(0);
  });

  it('happy flow: nothing to redact keeps the body and its etag, with empty counts', async () => {
    const { response, audit } = await post(
      'mirror',
      await token('ops-agent'),
      'application/json',
      '{"hello": "world"}',
    );
    expect(response.body).toBe('{"hello": "world"}');
    expect(response.headers?.etag).toBe('"mirror-v1"');
    expect(audit.redactions).toEqual({});
  });

  it('happy flow: bob (a person) gets the same answer unchanged, with no scrubbing at all', async () => {
    const body = JSON.stringify({ keyId: secrets.awsAccessKeyId });
    const { response, audit, upstreamHeaders } = await post(
      'mirror',
      await token('bob'),
      'application/json',
      body,
    );
    expect(response.body).toBe(body);
    expect(response.headers?.etag).toBe('"mirror-v1"');
    expect(audit.redactions).toBeUndefined();
    expect(upstreamHeaders['accept-encoding']).not.toBe('identity');
  });

  it('happy flow: a service that did not opt in answers an agent unchanged', async () => {
    const body = JSON.stringify({ keyId: secrets.awsAccessKeyId });
    const { response, audit } = await post(
      'plain',
      await token('ops-agent'),
      'application/json',
      body,
    );
    expect(response.body).toBe(body);
    expect(audit.redactions).toBeUndefined();
  });
});
