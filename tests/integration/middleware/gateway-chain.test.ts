import { beforeAll, describe, expect, it } from 'vitest';
import { createMeHandler } from '../../../shared/core/me';
import { TokenVerifier } from '../../../shared/auth/token-verifier';
import type { GatewayConfig } from '../../../shared/modules/gateway-config';
import { jsonResponse } from '../../../shared/http/responses';
import { corePolicy, gatewayRoute } from '../../../shared/middleware/gateway-handler';
import { capturedLogger } from '../../helpers/captured-logger';
import { forgeCognitoToken, tamperPayload } from '../../helpers/forge';
import { httpApiEvent, lambdaContext } from '../../helpers/lambda-event';
import { stackConfig, testStack, token } from '../../helpers/stack';

let config: GatewayConfig;
let verifier: TokenVerifier;

beforeAll(() => {
  config = {
    ...stackConfig(),
    routes: { ...stackConfig().routes, 'GET /admin-only': { policy: { group: 'admins' } } },
  };
  verifier = TokenVerifier.create(config);
});

/** A route whose handler counts its runs, to prove rejected requests never reach it. */
function countingRoute(route: string) {
  const capture = capturedLogger();
  let runs = 0;
  const handler = gatewayRoute(
    async () => {
      runs += 1;
      return jsonResponse(200, { ok: true });
    },
    { route, resolveTarget: corePolicy(config, route), verifier, logger: capture.logger },
  );
  return { handler, runs: () => runs, capture };
}

describe('the gateway chain, in process, with real tokens', () => {
  it('happy flow: /me answers with the principal, and logs one audit event with the correlation id', async () => {
    const capture = capturedLogger();
    const me = createMeHandler({ dependencies: { config, verifier, logger: capture.logger } });
    const bobToken = await token('bob');
    const response = await me(
      httpApiEvent('GET /me', {
        headers: { authorization: `Bearer ${bobToken}`, 'x-correlation-id': 'corr-1' },
      }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-correlation-id']).toBe('corr-1');
    const lines = capture.lines();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.correlation_id).toBe('corr-1');
    const audits = lines.filter((line) => line.message === 'audit');
    expect(audits).toHaveLength(1);
    expect(audits[0]?.audit).toMatchObject({
      route: 'GET /me',
      decision: 'allow',
      status: 200,
      principal: { username: 'bob', kind: 'person', issuer: 'cognito' },
    });
    expect(typeof (audits[0]?.audit as { latencyMs: unknown }).latencyMs).toBe('number');
    expect(capture.raw()).not.toContain(bobToken.split('.')[2]);
  });

  const badTokens: [string, () => Promise<string>][] = [
    ['bad signature', async () => tamperPayload(await token('bob'), { username: 'alice' })],
    [
      'expired',
      () =>
        forgeCognitoToken(testStack(), { payload: { exp: Math.floor(Date.now() / 1000) - 60 } }),
    ],
    ['unknown kid', () => forgeCognitoToken(testStack(), { header: { kid: 'nope' } })],
    ['wrong client id', () => forgeCognitoToken(testStack(), { payload: { client_id: 'other' } })],
    ['malformed', async () => 'not.a.jwt'],
  ];

  it.each(badTokens)(
    'error flow: %s gives 401 problem+json, no handler run, no token in logs',
    async (_name, make) => {
      const route = countingRoute('GET /me');
      const bad = await make();
      const response = await route.handler(
        httpApiEvent('GET /me', { headers: { authorization: `Bearer ${bad}` } }),
        lambdaContext(),
      );
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.headers['www-authenticate']).toBe(
        'Bearer realm="crossgate", error="invalid_token"',
      );
      const body = JSON.parse(response.body as string) as Record<string, unknown>;
      expect(body).toMatchObject({ type: 'urn:crossgate:problem:invalid-token', status: 401 });
      expect(body.correlationId).toBe(response.headers['x-correlation-id']);
      expect(response.body).not.toContain(bad);
      expect(route.runs()).toBe(0);
      const raw = route.capture.raw();
      expect(raw).not.toContain(bad);
      expect(raw).not.toMatch(/Bearer ey/);
      const audit = route.capture.lines().find((line) => line.message === 'audit');
      expect(audit?.audit).toMatchObject({ decision: 'unauthenticated', status: 401 });
    },
  );

  it('error flow: a missing token gives 401 with a Bearer challenge and no handler run', async () => {
    const route = countingRoute('GET /me');
    const response = await route.handler(httpApiEvent('GET /me'), lambdaContext());
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="crossgate"');
    expect(JSON.parse(response.body as string)).toMatchObject({
      type: 'urn:crossgate:problem:missing-token',
    });
    expect(route.runs()).toBe(0);
  });

  it('error flow: a non-Bearer scheme is rejected', async () => {
    const route = countingRoute('GET /me');
    const response = await route.handler(
      httpApiEvent('GET /me', { headers: { authorization: 'Basic YWxpY2U6cHc=' } }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(401);
    expect(route.runs()).toBe(0);
  });

  it('error flow: a valid token without the permission gets 403 naming it, and no handler run', async () => {
    const route = countingRoute('GET /admin-only');
    const response = await route.handler(
      httpApiEvent('GET /admin-only', {
        headers: { authorization: `Bearer ${await token('bob')}` },
      }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body as string)).toMatchObject({
      type: 'urn:crossgate:problem:forbidden',
      missingPermission: 'group:admins',
    });
    expect(route.runs()).toBe(0);
    const audit = route.capture.lines().find((line) => line.message === 'audit');
    expect(audit?.audit).toMatchObject({
      decision: 'deny',
      status: 403,
      principal: { username: 'bob' },
    });
  });

  it('deny by default: a route without a policy in config is forbidden even for admins', async () => {
    const route = countingRoute('GET /unconfigured');
    const response = await route.handler(
      httpApiEvent('GET /unconfigured', {
        headers: { authorization: `Bearer ${await token('alice')}` },
      }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(403);
    expect(route.runs()).toBe(0);
  });

  it('an unexpected failure is a bare 500 problem without internals', async () => {
    const capture = capturedLogger();
    const failing = gatewayRoute(
      async () => {
        throw new Error('database password=hunter2 leaked in message');
      },
      {
        route: 'GET /me',
        resolveTarget: corePolicy(config, 'GET /me'),
        verifier,
        logger: capture.logger,
      },
    );
    const response = await failing(
      httpApiEvent('GET /me', { headers: { authorization: `Bearer ${await token('bob')}` } }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
    expect(JSON.parse(response.body as string)).toMatchObject({
      type: 'urn:crossgate:problem:internal-error',
    });
  });
});
