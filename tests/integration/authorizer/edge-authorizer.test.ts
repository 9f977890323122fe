import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { TokenVerifier } from '../../../shared/auth/token-verifier';
import { createEdgeAuthorizer, UNAUTHORIZED } from '../../../shared/core/edge-authorizer';
import { capturedLogger } from '../../helpers/captured-logger';
import { tamperPayload } from '../../helpers/forge';
import { httpApiEvent } from '../../helpers/lambda-event';
import { stackConfig, token } from '../../helpers/stack';

/** An authorizer event as API Gateway (or serverless offline) sends it. */
function authorizerEvent(
  headers: Record<string, string>,
  identitySource?: string[],
): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:api/$default/GET/me',
    identitySource: identitySource ?? [],
    routeKey: 'GET /me',
    rawPath: '/me',
    rawQueryString: '',
    cookies: [],
    headers,
    requestContext: httpApiEvent('GET /me', { path: '/me' }).requestContext,
  };
}

function authorizer() {
  const captured = capturedLogger();
  const handler = createEdgeAuthorizer({
    verifier: TokenVerifier.create(stackConfig()),
    logger: captured.logger,
  });
  return { handler, captured };
}

describe('the edge authorizer, against the stack issuers', () => {
  it('happy flow: a Cognito person and an OIDC machine both pass, with their principal as context', async () => {
    const { handler } = authorizer();
    const alice = `Bearer ${await token('alice')}`;
    expect(await handler(authorizerEvent({ authorization: alice }, [alice]))).toMatchObject({
      isAuthorized: true,
      context: { kind: 'person', issuerName: 'cognito' },
    });
    const bot = `Bearer ${await token('ci-bot')}`;
    expect(await handler(authorizerEvent({ authorization: bot }, [bot]))).toEqual({
      isAuthorized: true,
      context: {
        subject: 'ci-bot',
        issuerName: 'machines',
        kind: 'machine',
        clientId: 'ci-bot',
      },
    });
  });

  it('happy flow: the header in its original case (serverless offline) is found without identitySource', async () => {
    const { handler } = authorizer();
    const bot = `Bearer ${await token('ci-bot')}`;
    expect(await handler(authorizerEvent({ Authorization: bot }))).toMatchObject({
      isAuthorized: true,
    });
  });

  it('error flow: a bad signature, a non-Bearer header and no header throw Unauthorized, logged without the token', async () => {
    const { handler, captured } = authorizer();
    const bad = tamperPayload(await token('bob'), { 'cognito:groups': ['admins'] });
    for (const header of [`Bearer ${bad}`, `Basic ${bad}`, undefined]) {
      const event = authorizerEvent(header ? { authorization: header } : {});
      await expect(handler(event)).rejects.toThrow(new Error(UNAUTHORIZED));
    }
    const refusals = captured
      .lines()
      .filter((l) => l.message === 'edge authorizer refused a token');
    expect(refusals.map((l) => l.reason)).toEqual([
      'token signature is invalid',
      'a bearer token is required',
      'a bearer token is required',
    ]);
    expect(captured.raw()).not.toContain(bad.slice(0, 30));
  });

  it('error flow: unreachable signing keys are a failure (500 at the edge), not a refusal', async () => {
    const config = stackConfig();
    const unreachable = {
      ...config,
      jwks: { ...config.jwks, timeoutMs: 500 },
      issuers: config.issuers.map((issuer) =>
        issuer.type === 'oidc' ? { ...issuer, jwksUri: 'http://127.0.0.1:9/jwks' } : issuer,
      ),
    };
    const captured = capturedLogger();
    const handler = createEdgeAuthorizer({
      verifier: TokenVerifier.create(unreachable),
      logger: captured.logger,
    });
    const bot = `Bearer ${await token('ci-bot')}`;
    const failure = await handler(authorizerEvent({ authorization: bot }, [bot])).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure?.message).not.toBe(UNAUTHORIZED);
    expect(captured.lines().map((l) => l.message)).toContain('edge authorizer failed');
  });
});
