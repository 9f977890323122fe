import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { resolvePorts } from '../local/ports';
import { startStack } from '../local/stack';
import { tokenFor } from '../local/tokens';
import { TokenVerifier } from '../shared/auth/token-verifier';
import { createEdgeAuthorizer } from '../shared/core/edge-authorizer';
import { parseGatewayConfig as parseConfig } from '../shared/modules/gateway-config';
import { configDocument, unitTestEnv } from '../tests/helpers/config';
import { httpApiEvent } from '../tests/helpers/lambda-event';
import { discardingLogger } from './discarding-logger';
import { median, percentile, round, timeEach } from './stats';

/**
 * `node --import tsx bench/edge-authorizer.ts`: what the edge REQUEST authorizer adds
 * (docs/deploy.md, "Every issuer through the edge"). Starts the offline stack (port offset
 * from CROSSGATE_PORT_OFFSET), measures, stops it. Counts are bounded; nothing here is a test.
 *
 * - in process: the authorizer handler on a miss (a token it has not seen, JWKS cached), on a
 *   hit (the verified-token cache), and on a bad signature;
 * - through serverless offline: GET /me, which runs the authorizer then the function, with
 *   one token (warm caches) and with a fresh token per request.
 */
const offset = process.env.CROSSGATE_PORT_OFFSET;
if (!offset) throw new Error('set CROSSGATE_PORT_OFFSET: this starts the whole offline stack');
const ports = resolvePorts({ ...process.env, CROSSGATE_PORT_OFFSET: offset });
const stack = await startStack({ ports, stateFile: `.local/stack-edge-${ports.gateway}.json` });
try {
  const state = stack.state;
  const config = parseConfig(configDocument(), { ...unitTestEnv, ...state.lambdaEnv });
  const handler = createEdgeAuthorizer({
    verifier: TokenVerifier.create(config),
    logger: discardingLogger(),
  });
  const event = (token: string): APIGatewayRequestAuthorizerEventV2 => ({
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:api/$default/GET/me',
    identitySource: [`Bearer ${token}`],
    routeKey: 'GET /me',
    rawPath: '/me',
    rawQueryString: '',
    cookies: [],
    headers: { authorization: `Bearer ${token}` },
    requestContext: httpApiEvent('GET /me', { path: '/me' }).requestContext,
  });

  const fresh = async (n: number) => {
    const tokens: string[] = [];
    for (let i = 0; i < n; i += 1) tokens.push(await tokenFor(state, 'ci-bot'));
    return tokens;
  };
  const one = await tokenFor(state, 'ci-bot');
  await handler(event(one)); // JWKS fetched once, as in a warm container
  const missTokens = await fresh(100);
  let next = 0;
  const miss = await timeEach(missTokens.length, () => handler(event(missTokens[next++] ?? one)));
  const hit = await timeEach(1000, () => handler(event(one)));
  const bad = `${one.slice(0, -4)}AAAA`;
  const refused = await timeEach(1000, () => handler(event(bad)).catch(() => undefined));

  const gateway = state.gatewayUrl ?? '';
  const call = (token: string) =>
    fetch(`${gateway}/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
  for (let i = 0; i < 20; i += 1) await call(one); // warm both workers
  const offlineSame = await timeEach(200, () => call(one));
  const offlineTokens = await fresh(50);
  next = 0;
  const offlineFresh = await timeEach(offlineTokens.length, () =>
    call(offlineTokens[next++] ?? one),
  );
  const offlineHealth = await timeEach(200, () => fetch(`${gateway}/health`).then((r) => r.text()));

  const ms = (samples: number[]) => ({
    p50: round(median(samples) / 1000, 2),
    p95: round(percentile(samples, 95) / 1000, 2),
  });
  console.log(
    JSON.stringify(
      {
        inProcessMs: { miss: ms(miss), hit: ms(hit), badSignature: ms(refused) },
        offlineMs: {
          meSameToken: ms(offlineSame),
          meFreshToken: ms(offlineFresh),
          healthNoAuthorizer: ms(offlineHealth),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await stack.stop();
}
