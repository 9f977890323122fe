import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import configDocument from '../../../config/crossgate.json' with { type: 'json' };
import { createGerritHandler } from '../../../shared/gerrit/handler';
import { startGerritStandIn, type GerritStandIn } from '../../../local/gerrit/server';
import { secretsManagerClient } from '../../../local/seed/moto-clients';
import { seedGerritSecret } from '../../../local/seed/gerrit-secret';
import { TokenVerifier } from '../../../shared/auth/token-verifier';
import { parseGatewayConfig } from '../../../shared/modules/gateway-config';
import { GerritClient } from '../../../shared/gerrit/gerrit-client';
import { GerritGroupMembership } from '../../../shared/gerrit/group-membership';
import type { HttpResponse } from '../../../shared/http/responses';
import { logger } from '../../../shared/logging/logger';
import { SecretCache } from '../../../shared/secrets/secret-cache';
import { withSection } from '../../helpers/config';
import { standInInspector } from '../../helpers/gerrit-stand-in';
import { httpApiEvent, lambdaContext } from '../../helpers/lambda-event';
import { stackConfigEnv, testStack, token } from '../../helpers/stack';

let standIn: GerritStandIn;
let inspector: ReturnType<typeof standInInspector>;
let handler: ReturnType<typeof createGerritHandler>;
let membership: GerritGroupMembership;
let client: GerritClient;
let config: ReturnType<typeof parseGatewayConfig>;
let clock = Date.now();

const ROUTE = 'ANY /gerrit/a/{proxy+}';

/** A request as API Gateway hands it to the gerrit function: the Gerrit path after /gerrit/a. */
function gerritEvent(
  method: string,
  pathAndQuery: string,
  authorization: string,
  options: { body?: string; contentType?: string } = {},
) {
  const [path = '/', query = ''] = pathAndQuery.split('?');
  const event = httpApiEvent(ROUTE, {
    method,
    path: `/gerrit/a${path}`,
    headers: {
      authorization,
      ...(options.body ? { 'content-type': options.contentType ?? 'application/json' } : {}),
    },
    pathParameters: { proxy: decodeURIComponent(path.slice(1)) },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return { ...event, rawQueryString: query };
}

async function invoke(
  method: string,
  pathAndQuery: string,
  who: string,
  options: { body?: string; contentType?: string; authorization?: string } = {},
): Promise<HttpResponse & { text: string; json: () => unknown }> {
  const authorization = options.authorization ?? `Bearer ${await token(who)}`;
  const response = await handler(
    gerritEvent(method, pathAndQuery, authorization, options),
    lambdaContext(10_000),
  );
  const text = String(response.body ?? '');
  return { ...response, text, json: () => JSON.parse(text) as unknown };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

beforeAll(async () => {
  const stack = testStack();
  if (!stack.moto || !stack.cognito || !stack.oidc) throw new Error('the stack is incomplete');
  standIn = await startGerritStandIn();
  inspector = standInInspector(standIn.url);
  const secretId = `crossgate-test/gerrit-handler-${randomUUID()}`;
  await seedGerritSecret(stack.moto.endpoint, stack.moto.region, standIn.serviceAccount, secretId);

  const document: { gerrit: { endpoints: unknown[] } & Record<string, unknown> } & Record<
    string,
    unknown
  > = structuredClone(configDocument);
  // ops-agent is mapped to "no Gerrit account"; submit needs only the Gerrit group here, so
  // that the group check is what decides.
  document.gerrit.account = {
    claim: 'username',
    map: { 'ops-agent': null },
    unmapped: 'passthrough',
  };
  // and the server version is for admins only, so that a listed endpoint can be refused.
  document.gerrit.endpoints = configDocument.gerrit.endpoints.map((endpoint): unknown =>
    endpoint.path.endsWith('/submit')
      ? { ...endpoint, policy: { authenticated: true } }
      : endpoint.path === '/config/server/version'
        ? { ...endpoint, policy: { group: 'admins' } }
        : endpoint,
  );
  config = parseGatewayConfig(
    document,
    stackConfigEnv({ CROSSGATE_GERRIT_URL: standIn.url, CROSSGATE_GERRIT_SECRET_ID: secretId }),
  );
  client = new GerritClient({
    baseUrl: standIn.url,
    credentialsSecretId: secretId,
    secrets: new SecretCache({
      client: secretsManagerClient(stack.moto.endpoint, stack.moto.region),
    }),
  });
  membership = new GerritGroupMembership({ client, ttlSeconds: 60, now: () => clock });
  handler = createGerritHandler({
    dependencies: {
      config: withSection(config, 'gerrit'),
      verifier: TokenVerifier.create(config),
      logger,
    },
    gerrit: { client, membership },
  });
});

afterAll(async () => {
  await standIn?.close();
});

beforeEach(async () => {
  await inspector.clearRequests();
});

const groupLookups = async () =>
  (await inspector.requests()).filter((request) =>
    request.url.startsWith('/a/accounts/self/groups'),
  );

describe('gerrit function: the allowlist and its policies', () => {
  it("happy flow: a listed endpoint answers as Gerrit does, )]}' line included, as the caller", async () => {
    const response = await invoke('GET', '/changes/demo~1?o=LABELS', 'bob');
    expect(response.statusCode).toBe(200);
    expect(response.text.startsWith(")]}'\n")).toBe(true);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const [request] = await inspector.requests();
    expect(request).toMatchObject({
      method: 'GET',
      runAs: 'bob',
      url: '/a/changes/demo~1?o=LABELS',
    });
  });

  it('happy flow: n is capped at maxChanges, and set to it when absent', async () => {
    await invoke('GET', '/changes/?q=status:open&n=5000', 'bob');
    await invoke('GET', '/changes/?q=status:open', 'bob');
    const urls = (await inspector.requests()).map((request) => request.url);
    expect(urls).toEqual(['/a/changes/?q=status%3Aopen&n=50', '/a/changes/?q=status%3Aopen&n=50']);
  });

  it('error flow: an endpoint not on the list is 404 problem+json, and Gerrit is not called', async () => {
    for (const [method, path] of [
      ['DELETE', '/changes/demo~1'],
      ['POST', '/changes/demo~1/abandon'],
      ['GET', '/plugins/'],
      ['GET', '/accounts/alice'],
    ] as const) {
      const response = await invoke(method, path, 'bob');
      expect(response.statusCode, `${method} ${path}`).toBe(404);
      expect(response.headers['content-type']).toBe('application/problem+json');
    }
    expect(await inspector.requests()).toEqual([]);
  });

  it('error flow: a listed endpoint the caller may not use is 403 naming the missing permission', async () => {
    const response = await invoke('GET', '/config/server/version', 'bob');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      missingPermission: 'group:admins',
      detail: expect.stringContaining('GET /a/config/server/version'),
    });
    expect(await inspector.requests()).toEqual([]);
  });

  it("error flow: Gerrit's own 404 passes through as Gerrit's plain text", async () => {
    const response = await invoke('GET', '/changes/demo~4040', 'bob');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/Not found/);
  });
});

describe('gerrit function: hardening', () => {
  it('error flow: a change id that decodes to . or .. once or twice is 400 and never reaches Gerrit', async () => {
    for (const path of [
      '/changes/%2e',
      '/changes/%2e%2e',
      '/changes/%252e',
      '/changes/%252e%252e/detail',
    ]) {
      const response = await invoke('GET', path, 'bob');
      expect(response.statusCode, path).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json');
    }
    expect(await inspector.requests()).toEqual([]);
  });

  it('error flow: a review body that is null or has __proto__ members is 400, nothing posted', async () => {
    for (const body of [
      'null',
      '{"labels":{"__proto__":{"Code-Review":1}}}',
      '{"comments":{"__proto__":[{"line":1,"message":"x"}]}}',
    ]) {
      const response = await invoke('POST', '/changes/demo~1/revisions/current/review', 'bob', {
        body,
      });
      expect(response.statusCode, body).toBe(400);
    }
    expect(await inspector.requests()).toEqual([]);
  });

  it('error flow: on_behalf_of is refused with 400', async () => {
    const response = await invoke('POST', '/changes/demo~1/revisions/current/review', 'bob', {
      body: '{"labels":{"Code-Review":1},"on_behalf_of":"alice"}',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ detail: expect.stringMatching(/on_behalf_of/) });
  });

  it('error flow: a review body that is not JSON is 415 / 400 problem+json', async () => {
    const path = '/changes/1/revisions/current/review';
    expect(
      (await invoke('POST', path, 'bob', { body: 'message=hi', contentType: 'text/plain' }))
        .statusCode,
    ).toBe(415);
    expect((await invoke('POST', path, 'bob', { body: '{"labels":' })).statusCode).toBe(400);
    expect((await invoke('POST', path, 'bob', { body: '{"robot_comments":{}}' })).statusCode).toBe(
      400,
    );
    expect(await inspector.requests()).toEqual([]);
  });
});

describe('gerrit function: deadlines', () => {
  it("happy flow: the Gerrit window ends with the call: its timer is cleared, the call's signal never aborts after", async () => {
    const signals: AbortSignal[] = [];
    const capturing = Object.create(client) as GerritClient;
    capturing.forward = (input, call) => {
      signals.push(call.signal);
      return client.forward(input, call);
    };
    // Short, but long enough for a loaded machine to answer within it.
    const gerrit = { ...config.gerrit!, timeoutMs: 1000 };
    const short = createGerritHandler({
      dependencies: {
        config: withSection({ ...config, gerrit }, 'gerrit'),
        verifier: TokenVerifier.create(config),
        logger,
      },
      gerrit: { client: capturing, membership },
    });
    const event = gerritEvent('GET', '/changes/?q=status:open', `Bearer ${await token('bob')}`);
    const response = await short(event, lambdaContext(10_000));
    expect(response.statusCode).toBe(200);
    expect(signals).toHaveLength(1);
    // Past the 1 s window: a timer left armed would abort the finished call's signal.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(signals[0]!.aborted).toBe(false);
  });
});

describe('gerrit function: credentials', () => {
  it('happy flow: Basic whose password is the token, with the Gerrit account as user name', async () => {
    const response = await invoke('GET', '/accounts/self', 'bob', {
      authorization: basic('bob', await token('bob')),
    });
    expect(response.statusCode).toBe(200);
    const [request] = await inspector.requests();
    expect(request).toMatchObject({ runAs: 'bob' });
  });

  it('error flow: Basic with another user name is 401, and Gerrit is not called', async () => {
    const response = await invoke('GET', '/accounts/self', 'bob', {
      authorization: basic('alice', await token('bob')),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/Basic realm="crossgate"/);
    expect(response.text).not.toContain('eyJ');
    expect(await inspector.requests()).toEqual([]);
  });

  it('error flow: Basic with a password that is not a valid token is 401', async () => {
    const response = await invoke('GET', '/accounts/self', 'bob', {
      authorization: basic('bob', 'not-a-token'),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('gerrit function with its Gerrit group check', () => {
  it('error flow: a caller with no Gerrit account gets 403 and Gerrit is never called', async () => {
    const response = await invoke('GET', '/changes/', 'ops-agent');
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toMatchObject({
      detail: expect.stringMatching(/ops-agent has no Gerrit account/),
      missingPermission: 'gerrit-account',
    });
    expect(await inspector.requests()).toEqual([]);
  });

  it('error flow: bob is not in "Release Managers" in Gerrit: 403 and no submit reaches Gerrit', async () => {
    const response = await invoke('POST', '/changes/demo~5/submit', 'bob');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ missingPermission: 'gerritGroup:Release Managers' });
    const requests = await inspector.requests();
    expect(requests.map((request) => [request.method, request.url, request.runAs])).toEqual([
      ['GET', '/a/accounts/self/groups/', 'bob'],
    ]);
  });

  it('happy flow: alice passes the group check, Gerrit decides (409, its text), and her groups are cached', async () => {
    const first = await invoke('POST', '/changes/demo~5/submit', 'alice');
    expect(first.statusCode).toBe(409);
    expect(first.text).toMatch(/needs Code-Review/);
    const second = await invoke('POST', '/changes/demo~5/revisions/current/submit', 'alice');
    expect(second.statusCode).toBe(409);
    expect(await groupLookups()).toHaveLength(1);
  });

  it('happy flow: a membership change in Gerrit counts once the cache TTL has passed', async () => {
    await inspector.group('Release Managers', { add: ['bob'] });
    try {
      // Still cached from the earlier test: bob is refused without asking Gerrit.
      const cached = await invoke('POST', '/changes/demo~5/submit', 'bob');
      expect(cached.statusCode).toBe(403);
      expect(await groupLookups()).toHaveLength(0);
      clock += 61_000;
      const fresh = await invoke('POST', '/changes/demo~5/submit', 'bob');
      expect(fresh.statusCode).toBe(409);
      expect(await groupLookups()).toHaveLength(1);
    } finally {
      await inspector.group('Release Managers', { remove: ['bob'] });
    }
  });
});
