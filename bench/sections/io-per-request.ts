import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Database } from '@google-cloud/spanner';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createGerritHandler } from '../../shared/gerrit/handler';
import { createMeHandler } from '../../shared/core/me';
import { createRunHandler } from '../../shared/cloud-run/handler';
import { createSpannerHandler } from '../../shared/spanner/handler';
import type { StackState } from '../../local/services/types';
import { tokenFor } from '../../local/tokens';
import { TokenVerifier } from '../../shared/auth/token-verifier';
import type { GatewayConfig } from '../../shared/modules/gateway-config';
import { withSection } from '../../tests/helpers/config';
import { createGcpCredentials } from '../../shared/gcp/container-gcp-credentials';
import { createGerritServices } from '../../shared/gerrit/container-gerrit';
import { SecretCache } from '../../shared/secrets/secret-cache';
import { createSpanner } from '../../shared/spanner/spanner-client';
import { countGetSecretValue, startMotoRecording } from '../../tests/helpers/moto-recorder';
import { httpApiEvent, lambdaContext } from '../../tests/helpers/lambda-event';
import { countingProxy, type CountingProxy } from '../counting-proxy';
import { discardingLogger } from '../discarding-logger';

export interface IoCounts {
  secretsManagerCalls: number;
  googleTokenMints: number;
  spannerSessionsCreated: number;
  jwksFetches: number;
  /** Requests that landed at the backend itself (echo, Gerrit: a counting proxy in front). */
  backendRequests: number;
}

export interface IoResult {
  function: string;
  cold50: IoCounts;
  warm1000: IoCounts;
  /** Credential I/O per warm request (Secrets Manager, token mints, sessions, JWKS). */
  warmPerRequest: number;
  /**
   * Every round trip per warm request, counted where it lands: the backend's own requests
   * plus the credential I/O. For spanner the backend RPCs are counted by section 6's proxy.
   */
  roundTripsPerWarmRequest: number;
  /** Answers of the 50 cold requests. */
  coldStatuses: Record<string, number>;
  /** Answers of the 1,000 warm requests: the round-trip figure counts only if all are 200. */
  statuses: Record<string, number>;
  /** The body of the first answer >= 400, if any: a failing function is not measured. */
  firstFailure?: string;
}

type Invoke = (
  event: APIGatewayProxyEventV2,
  context: ReturnType<typeof lambdaContext>,
) => Promise<{ statusCode: number; body?: string }>;

interface Container {
  invoke: Invoke;
  backendRequests: () => number;
  jwksFetches: () => number;
  spannerSessions: () => Promise<number>;
  secretId?: string;
}

/**
 * Backend-credential I/O per request, in one fresh container per function: 50 concurrent
 * cold requests, then 1,000 warm ones. Secrets Manager calls are counted at moto, token mints
 * at the Google stand-in, Spanner sessions at the emulator, JWKS fetches by the fetcher.
 */
export async function ioPerRequest(state: StackState, config: GatewayConfig): Promise<IoResult[]> {
  const motoEndpoint = state.moto!.endpoint;
  await startMotoRecording(motoEndpoint);
  const google = state.google as { adminUrl: string };
  const mints = async () => {
    const c = (await (await fetch(`${google.adminUrl}/counters`)).json()) as Record<string, number>;
    return (
      (c.sts ?? 0) +
      (c.generateAccessToken ?? 0) +
      (c.generateIdToken ?? 0) +
      (c.jwtBearerIdToken ?? 0) +
      (c.jwtBearerAccessToken ?? 0)
    );
  };
  const secretsClient = () =>
    new SecretsManagerClient({ region: config.aws.region, endpoint: config.aws.endpoint });
  const logger = discardingLogger();
  const bob = `Bearer ${await tokenFor(state, 'bob')}`;
  // echo fetches the gateway's JWKS (the jwks function) to check run's caller assertion: its
  // serverless offline worker is started here, so that the cold figures are the gateway's.
  if (state.gatewayUrl)
    await fetch(`${state.gatewayUrl}/.well-known/jwks.json`).then((r) => r.text());
  const proxies: CountingProxy[] = [];
  const proxied = async (target: string) => {
    const proxy = await countingProxy(target);
    proxies.push(proxy);
    return proxy;
  };
  const echoService = config.cloudRun!.services.echo!;
  const echoProxy = await proxied(echoService.url);
  // The service is reached through the proxy; its ID token audience stays the service's URL.
  const runSection = {
    ...config.cloudRun!,
    services: {
      ...config.cloudRun!.services,
      echo: {
        ...echoService,
        url: echoProxy.url,
        audience: echoService.audience ?? echoService.url,
      },
    },
  };
  const gerritProxy = await proxied(config.gerrit!.baseUrl);
  const gerritSection = { ...config.gerrit!, baseUrl: gerritProxy.url };
  const alice = `Bearer ${await tokenFor(state, 'alice')}`;

  const containers: Record<string, { make: () => Container; event: () => APIGatewayProxyEventV2 }> =
    {
      me: {
        make: () => {
          const verifier = countingVerifier(config);
          const handler = createMeHandler({ dependencies: { config, verifier, logger } });
          return {
            invoke: handler as unknown as Invoke,
            backendRequests: () => 0,
            jwksFetches: () => fetchCount(verifier),
            spannerSessions: async () => 0,
          };
        },
        event: () => httpApiEvent('GET /me', { headers: { authorization: bob } }),
      },
      run: {
        make: () => {
          const verifier = countingVerifier(config);
          const runConfig = { ...config, cloudRun: runSection };
          const secretId = runConfig.cloudRun.gcp.credentialsSecretId;
          const credentials = createGcpCredentials(
            runConfig.cloudRun.gcp,
            new SecretCache({ client: secretsClient() }),
            secretId,
          );
          const handler = createRunHandler({
            dependencies: { config: runConfig, verifier, logger },
            credentials,
          });
          return {
            invoke: handler as unknown as Invoke,
            backendRequests: echoProxy.count,
            jwksFetches: () => fetchCount(verifier),
            spannerSessions: async () => 0,
            secretId,
          };
        },
        event: () =>
          httpApiEvent('ANY /run/{service}/{proxy+}', {
            path: '/run/echo/hello',
            method: 'GET',
            pathParameters: { service: 'echo', proxy: 'hello' },
            headers: { authorization: bob },
          }),
      },
      spanner: {
        make: () => {
          const verifier = countingVerifier(config);
          const handle = createSpanner({ config: config.spanner! });
          const handler = createSpannerHandler({
            dependencies: { config: withSection(config, 'spanner'), verifier, logger },
            database: async () => handle.database,
          });
          return {
            invoke: handler as unknown as Invoke,
            backendRequests: () => 0,
            jwksFetches: () => fetchCount(verifier),
            spannerSessions: () => sessionCount(handle.database),
          };
        },
        event: () =>
          httpApiEvent('POST /spanner/{query}', {
            path: '/spanner/getSinger',
            pathParameters: { query: 'getSinger' },
            headers: { authorization: bob, 'content-type': 'application/json' },
            body: JSON.stringify({ params: { id: '1' } }),
          }),
      },
      gerrit: {
        make: () => {
          const verifier = countingVerifier(config);
          const gerrit = createGerritServices(
            gerritSection,
            new SecretCache({ client: secretsClient() }),
          );
          const handler = createGerritHandler({
            dependencies: { config: { ...config, gerrit: gerritSection }, verifier, logger },
            gerrit,
          });
          return {
            invoke: handler as unknown as Invoke,
            backendRequests: gerritProxy.count,
            jwksFetches: () => fetchCount(verifier),
            spannerSessions: async () => 0,
            secretId: config.gerrit!.credentialsSecretId,
          };
        },
        event: () =>
          httpApiEvent('ANY /gerrit/a/{proxy+}', {
            path: '/gerrit/a/changes/',
            method: 'GET',
            pathParameters: { proxy: 'changes/' },
            headers: { authorization: alice },
          }),
      },
    };

  const results: IoResult[] = [];
  try {
    for (const [name, { make, event }] of Object.entries(containers)) {
      const container = make();
      let statuses: Record<string, number> = {};
      let firstFailure: string | undefined;
      const call = async () => {
        const response = await container.invoke(event(), lambdaContext(29_000));
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        if (response.statusCode >= 400) firstFailure ??= response.body?.slice(0, 500);
      };
      const snapshot = async (): Promise<IoCounts> => ({
        secretsManagerCalls: container.secretId
          ? await countGetSecretValue(motoEndpoint, container.secretId)
          : 0,
        googleTokenMints: await mints(),
        spannerSessionsCreated: await container.spannerSessions(),
        jwksFetches: container.jwksFetches(),
        backendRequests: container.backendRequests(),
      });
      const start = await snapshot();
      await Promise.all(Array.from({ length: 50 }, call));
      const coldStatuses = statuses;
      statuses = {};
      const afterCold = await snapshot();
      for (let i = 0; i < 1000; i += 1) await call();
      const afterWarm = await snapshot();
      const warm1000 = difference(afterWarm, afterCold);
      const credentialIo =
        warm1000.secretsManagerCalls +
        warm1000.googleTokenMints +
        warm1000.spannerSessionsCreated +
        warm1000.jwksFetches;
      results.push({
        function: name,
        cold50: difference(afterCold, start),
        warm1000,
        warmPerRequest: credentialIo / 1000,
        roundTripsPerWarmRequest: (credentialIo + warm1000.backendRequests) / 1000,
        coldStatuses,
        statuses,
        ...(firstFailure ? { firstFailure } : {}),
      });
    }
  } finally {
    if (results.some((r) => r.firstFailure)) {
      console.error(
        'backend answers through the counting proxies:',
        proxies.map((p) => [p.url, p.statuses()]),
      );
    }
    await Promise.all(proxies.map((proxy) => proxy.close()));
  }
  return results;
}

/** JWKS fetches per verifier, counted through the verifier's observer option. */
const jwksFetchCounts = new WeakMap<TokenVerifier, { fetches: number }>();

function countingVerifier(config: GatewayConfig): TokenVerifier {
  const counter = { fetches: 0 };
  const verifier = TokenVerifier.create(config, {
    jwksObserver: { onFetch: () => (counter.fetches += 1) },
  });
  jwksFetchCounts.set(verifier, counter);
  return verifier;
}

function fetchCount(verifier: TokenVerifier): number {
  return jwksFetchCounts.get(verifier)?.fetches ?? 0;
}

async function sessionCount(database: Database): Promise<number> {
  const [sessions] = await database.getSessions();
  return sessions.length;
}

function difference(after: IoCounts, before: IoCounts): IoCounts {
  return {
    secretsManagerCalls: after.secretsManagerCalls - before.secretsManagerCalls,
    googleTokenMints: after.googleTokenMints - before.googleTokenMints,
    spannerSessionsCreated: after.spannerSessionsCreated - before.spannerSessionsCreated,
    jwksFetches: after.jwksFetches - before.jwksFetches,
    backendRequests: after.backendRequests - before.backendRequests,
  };
}
