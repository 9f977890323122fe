import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
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
import type { GatewayEvent } from '../../../shared/middleware/request-state';
import { SecretCache } from '../../../shared/secrets/secret-cache';
import { withSection } from '../../helpers/config';
import { standInInspector } from '../../helpers/gerrit-stand-in';
import { testStack, token } from '../../helpers/stack';

let standIn: GerritStandIn;
let inspector: ReturnType<typeof standInInspector>;
let handler: ReturnType<typeof createGerritHandler>;
let membership: GerritGroupMembership;
let clock = Date.now();

const routeKeys = {
  query: 'GET /gerrit/changes',
  submit: 'POST /gerrit/changes/{id}/submit',
  review: 'POST /gerrit/changes/{id}/revisions/{rev}/review',
};

function event(
  routeKey: string,
  bearer: string,
  options: { id?: string; rev?: string; body?: string; contentType?: string } = {},
): GatewayEvent {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const rawPath = path.replace('{id}', options.id ?? '').replace('{rev}', options.rev ?? '');
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(options.body ? { 'content-type': options.contentType ?? 'application/json' } : {}),
    },
    pathParameters: {
      ...(options.id ? { id: options.id } : {}),
      ...(options.rev ? { rev: options.rev } : {}),
    },
    body: options.body,
    isBase64Encoded: false,
    requestContext: { http: { method, path: rawPath } },
  } as unknown as GatewayEvent;
}

const lambdaContext = { getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

async function invoke(
  request: GatewayEvent,
): Promise<HttpResponse & { json: Record<string, unknown> }> {
  const response = await handler(request, lambdaContext);
  return { ...response, json: JSON.parse(String(response.body)) as Record<string, unknown> };
}

beforeAll(async () => {
  const stack = testStack();
  if (!stack.moto || !stack.cognito || !stack.oidc) throw new Error('the stack is incomplete');
  standIn = await startGerritStandIn();
  inspector = standInInspector(standIn.url);
  const secretId = `crossgate-test/gerrit-handler-${randomUUID()}`;
  await seedGerritSecret(stack.moto.endpoint, stack.moto.region, standIn.serviceAccount, secretId);

  const document = structuredClone(configDocument) as unknown as {
    gerrit: Record<string, unknown> & { routes: Record<string, unknown> };
  };
  // ops-agent is mapped to "no Gerrit account"; submit needs only the Gerrit group here, so
  // that the group check is what decides.
  document.gerrit.account = {
    claim: 'username',
    map: { 'ops-agent': null },
    unmapped: 'passthrough',
  };
  document.gerrit.routes.submit = {
    policy: { authenticated: true },
    gerritGroups: ['Release Managers'],
  };
  const config = parseGatewayConfig(document, {
    CROSSGATE_COGNITO_USER_POOL_ID: stack.cognito.userPoolId,
    CROSSGATE_COGNITO_CLIENT_ID: stack.cognito.clientId,
    CROSSGATE_COGNITO_JWKS_URI: stack.cognito.jwksUri,
    CROSSGATE_OIDC_ISSUER: stack.oidc.issuer,
    CROSSGATE_OIDC_JWKS_URI: stack.oidc.jwksUri,
    CROSSGATE_ECHO_URL: 'http://127.0.0.1:9',
    CROSSGATE_LEDGER_URL: 'http://127.0.0.1:9',
    CROSSGATE_ISSUER_URL: 'http://127.0.0.1:3000',
    CROSSGATE_GERRIT_URL: standIn.url,
    CROSSGATE_GERRIT_SECRET_ID: secretId,
  });
  const client = new GerritClient({
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

describe('gerrit function with its Gerrit group check', () => {
  it('error flow: a caller with no Gerrit account gets 403 and Gerrit is never called', async () => {
    const response = await invoke(event(routeKeys.query, await token('ops-agent')));
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json).toMatchObject({
      detail: expect.stringMatching(/ops-agent has no Gerrit account/),
      missingPermission: 'gerrit-account',
    });
    expect(await inspector.requests()).toEqual([]);
  });

  it('error flow: bob is not in "Release Managers" in Gerrit: 403 and no submit reaches Gerrit', async () => {
    const response = await invoke(event(routeKeys.submit, await token('bob'), { id: 'demo~5' }));
    expect(response.statusCode).toBe(403);
    expect(response.json).toMatchObject({ missingPermission: 'gerritGroup:Release Managers' });
    const requests = await inspector.requests();
    expect(requests.map((request) => [request.method, request.url, request.runAs])).toEqual([
      ['GET', '/a/accounts/self/groups/', 'bob'],
    ]);
  });

  it('happy flow: alice passes the group check, Gerrit decides (409), and her groups are cached', async () => {
    const first = await invoke(event(routeKeys.submit, await token('alice'), { id: 'demo~5' }));
    expect(first.statusCode).toBe(409);
    expect(first.json).toMatchObject({ detail: 'needs Code-Review' });
    const second = await invoke(event(routeKeys.submit, await token('alice'), { id: 'demo~5' }));
    expect(second.statusCode).toBe(409);
    expect(await groupLookups()).toHaveLength(1);
  });

  it('happy flow: a membership change in Gerrit counts once the cache TTL has passed', async () => {
    await inspector.group('Release Managers', { add: ['bob'] });
    try {
      // Still cached from the earlier test: bob is refused without asking Gerrit.
      const cached = await invoke(event(routeKeys.submit, await token('bob'), { id: 'demo~5' }));
      expect(cached.statusCode).toBe(403);
      expect(await groupLookups()).toHaveLength(0);
      clock += 61_000;
      const fresh = await invoke(event(routeKeys.submit, await token('bob'), { id: 'demo~5' }));
      expect(fresh.statusCode).toBe(409);
      expect(await groupLookups()).toHaveLength(1);
    } finally {
      await inspector.group('Release Managers', { remove: ['bob'] });
    }
  });

  it('error flow: a review body that is not JSON is 415 / 400 problem+json', async () => {
    const bob = await token('bob');
    const wrongType = await invoke(
      event(routeKeys.review, bob, {
        id: '1',
        rev: 'current',
        body: 'message=hi',
        contentType: 'text/plain',
      }),
    );
    expect(wrongType.statusCode).toBe(415);
    const broken = await invoke(
      event(routeKeys.review, bob, { id: '1', rev: 'current', body: '{"labels":' }),
    );
    expect(broken.statusCode).toBe(400);
    const unknownField = await invoke(
      event(routeKeys.review, bob, {
        id: '1',
        rev: 'current',
        body: '{"reviewers":[{"reviewer":"alice"}]}',
      }),
    );
    expect(unknownField.statusCode).toBe(400);
    expect(await inspector.requests()).toEqual([]);
  });

  it('error flow: a route key the function does not serve is 404 problem+json', async () => {
    const response = await invoke(
      event('DELETE /gerrit/changes/{id}', await token('bob'), { id: '1' }),
    );
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });
});
