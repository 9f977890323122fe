import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { readStackState } from '../local/stack';
import { tokenFor } from '../local/tokens';
import { TokenVerifier } from '../shared/auth/token-verifier';
import { createRunHandler } from '../shared/cloud-run/handler';
import { createMeHandler } from '../shared/core/me';
import { createGcpCredentials } from '../shared/gcp/container-gcp-credentials';
import { parseGatewayConfig } from '../shared/modules/gateway-config';
import { SecretCache } from '../shared/secrets/secret-cache';
import { configDocument, unitTestEnv } from '../tests/helpers/config';
import { httpApiEvent, lambdaContext } from '../tests/helpers/lambda-event';
import { discardingLogger } from './discarding-logger';
import { round } from './stats';

/**
 * `npx tsx bench/run-cpu.ts [calls]` beside a running stack (`npm start`, same
 * CROSSGATE_PORT_OFFSET): the CPU of one warm `GET /run/echo/hello` and one warm `GET /me`,
 * the handlers called in this process as a warm container calls them, against the stack's
 * echo service and Google stand-in. echo runs in the stack's process, so its CPU is not
 * counted: what is left is the gateway's own. For profiling, add `--cpu-prof` to node.
 *
 * Section 4 of `npm run bench` measures the same routes through serverless offline, where each
 * request also pays for the worker it runs in; this is the handler alone (issue 16).
 */
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number }>;

const calls = Number(process.argv[2] ?? 2000);
const state = readStackState();
const env = state.lambdaEnv ?? {};
// As a Lambda has them: region and role credentials (moto's) in the environment.
Object.assign(process.env, env);
const config = parseGatewayConfig(configDocument(), { ...unitTestEnv, ...env });
const cloudRun = config.cloudRun;
if (!cloudRun) throw new Error('the config has no cloudRun section');
const logger = discardingLogger();
const verifier = TokenVerifier.create(config);
const secrets = new SecretCache({
  client: new SecretsManagerClient({ region: config.aws.region, endpoint: config.aws.endpoint }),
});
const run = createRunHandler({
  dependencies: { config: { ...config, cloudRun }, verifier, logger },
  credentials: createGcpCredentials(cloudRun.gcp, secrets, cloudRun.gcp.credentialsSecretId),
}) as Handler;
const me = createMeHandler({ dependencies: { config, verifier, logger } }) as Handler;
const authorization = `Bearer ${await tokenFor(state, 'bob')}`;
const events = {
  run: () =>
    httpApiEvent('ANY /run/{service}/{proxy+}', {
      path: '/run/echo/hello',
      method: 'GET',
      pathParameters: { service: 'echo', proxy: 'hello' },
      headers: { authorization, accept: '*/*' },
    }),
  me: () => httpApiEvent('GET /me', { headers: { authorization } }),
};

/** CPU µs per call (user + system) of `count` sequential calls, after 200 unmeasured ones. */
async function cpuPerCall(handler: Handler, event: () => APIGatewayProxyEventV2, count: number) {
  const call = async () => {
    const response = await handler(event(), lambdaContext(15_000));
    if (response.statusCode !== 200) throw new Error(`answered ${response.statusCode}`);
  };
  for (let i = 0; i < 200; i += 1) await call();
  const before = process.cpuUsage();
  for (let i = 0; i < count; i += 1) await call();
  const used = process.cpuUsage(before);
  return round((used.user + used.system) / count, 0);
}

// Interleaved rounds: the machine is shared and its load drifts.
for (let roundNumber = 1; roundNumber <= 3; roundNumber += 1) {
  const meUs = await cpuPerCall(me, events.me, calls);
  const runUs = await cpuPerCall(run, events.run, calls);
  console.log(`round ${roundNumber}: /me ${meUs} µs CPU per call, /run ${runUs} µs`);
}
process.exit(0);
