import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../../../shared/config/load-config';
import { parseGatewayConfig as parseConfig } from '../../../../shared/modules/gateway-config';
import { configDocument, unitTestEnv } from '../../../helpers/config';

function expectInvalid(document: unknown, env: Record<string, string>, ...fragments: string[]) {
  let caught: unknown;
  try {
    parseConfig(document, env);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidConfigError);
  for (const fragment of fragments) expect((caught as Error).message).toContain(fragment);
}

describe('parseConfig', () => {
  it('happy flow: the repository config validates with a complete environment', () => {
    const config = parseConfig(configDocument(), unitTestEnv);
    expect(config.issuers.map((issuer) => issuer.name)).toEqual([
      'cognito',
      'machines',
      'backstage',
    ]);
    expect(config.routes['GET /me']?.policy).toEqual({ authenticated: true });
    expect(config.jwks).toEqual({
      timeoutMs: 3000,
      totalTimeoutMs: 5000,
      refetchIntervalSeconds: 10,
    });
    expect(config.auth.maxTokenBytes).toBe(8192);
  });

  it('drops optional keys whose placeholder resolves to nothing', () => {
    const config = parseConfig(configDocument(), unitTestEnv);
    const cognito = config.issuers.find((issuer) => issuer.type === 'cognito');
    expect(cognito && 'jwksUri' in cognito ? cognito.jwksUri : undefined).toBeUndefined();
    expect(config.aws.endpoint).toBeUndefined();
  });

  it('error flow: a missing environment variable names the key and the variable', () => {
    const { CROSSGATE_OIDC_ISSUER: _omitted, ...env } = unitTestEnv;
    expectInvalid(configDocument(), env, 'issuers[1].issuer', 'CROSSGATE_OIDC_ISSUER');
  });

  it('error flow: a misspelt key is named with its path', () => {
    const document = configDocument();
    document.routes = { 'GET /me': { polcy: { authenticated: true } } };
    expectInvalid(document, unitTestEnv, 'routes.GET /me', 'polcy');
  });

  it('error flow: a bad policy requirement is named with its path', () => {
    const document = configDocument();
    document.routes = { 'GET /me': { policy: { anyOf: [{ role: 'admin' }] } } };
    expectInvalid(document, unitTestEnv, 'routes.GET /me.policy');
  });

  it('error flow: a malformed user pool id and duplicate issuer names are rejected', () => {
    expectInvalid(
      configDocument(),
      { ...unitTestEnv, CROSSGATE_COGNITO_USER_POOL_ID: 'not-a-pool' },
      'issuers[0].userPoolId',
    );
    const document = configDocument();
    const issuers = document.issuers as Record<string, unknown>[];
    document.issuers = [issuers[0], { ...issuers[1], name: 'cognito' }];
    expectInvalid(document, unitTestEnv, 'issuers', 'unique');
  });

  it('error flow: an unknown issuer type is rejected', () => {
    const document = configDocument();
    document.issuers = [{ type: 'saml', name: 'x' }];
    expectInvalid(document, unitTestEnv, 'issuers[0]');
  });

  it('error flow: per-stage overrides inside the file are refused (stages come from serverless params)', () => {
    const document = { ...configDocument(), stages: { prod: { jwks: { timeoutMs: 1500 } } } };
    expectInvalid(document, unitTestEnv, 'stages');
  });
});
