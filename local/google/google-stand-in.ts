import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportPKCS8, generateKeyPair } from 'jose';
import { listenOn, readBody, Router, sendJson, StandInError } from '../stand-in';
import { DroppedConnection, googleError, HttpProblem } from './google-problems';
import { createGoogleState } from './google-state';
import {
  GOOGLE_TOKEN_AUDIENCE,
  type FaultSettings,
  type GoogleStandIn,
  type GoogleStandInOptions,
} from './google-types';
import { iamCredentials } from './iam-credentials';
import { jwtBearer } from './oauth2';
import { sts } from './sts';

export {
  GOOGLE_ISSUER,
  GOOGLE_TOKEN_AUDIENCE,
  type FaultSettings,
  type GoogleStandIn,
  type GoogleStandInOptions,
  type MintCounters,
  type ServiceAccountKey,
} from './google-types';

/**
 * A stand-in for Google's token endpoints on loopback, that checks what it is sent the way
 * Google does:
 *
 * - `POST /v1/token` (STS): token exchange of an AWS-signed GetCallerIdentity request
 *   (Workload Identity Federation, aws1); the SigV4 signature is verified against the
 *   known AWS keys, the pool provider audience and the target-resource header are checked.
 * - `POST /v1/projects/-/serviceAccounts/{sa}:generateAccessToken|generateIdToken` (IAM
 *   Credentials): the federated token is required as bearer.
 * - `POST /token` (OAuth2 JWT-bearer grant for service-account keys): the assertion's RS256
 *   signature is verified against the registered key, `aud` must be Google's token URL.
 * - `GET /oauth2/v3/certs` (JWKS) and `/oauth2/v1/certs` (PEM keys by kid): what ID tokens
 *   are verified against, cacheable as Google serves them. ID tokens are RS256 with Google's claims: iss, aud, azp, sub,
 *   email, email_verified, iat, exp one hour ahead.
 * - `/__admin/*`: counters of mints, fault switches and key rotation, for tests.
 */

export async function startGoogleStandIn(options: GoogleStandInOptions): Promise<GoogleStandIn> {
  const state = await createGoogleState(options);
  let baseUrl = '';

  /** What every Google route gets: the request, its URL and its body, parsed on demand. */
  interface GoogleRequest {
    request: IncomingMessage;
    url: URL;
    params: Record<string, string>;
    form: URLSearchParams;
    json: () => Record<string, unknown>;
  }
  type GoogleHandler = (request: GoogleRequest) => Promise<unknown> | unknown;

  /** Google's endpoints: a new one is one entry here. */
  const routes = new Router<GoogleHandler>([
    {
      method: 'GET',
      path: '/oauth2/v3/certs',
      handler: () => {
        state.counters().certsServed += 1;
        return new Cacheable({ keys: [state.signingJwk] });
      },
    },
    {
      method: 'GET',
      path: '/oauth2/v1/certs',
      handler: () => {
        state.counters().certsServed += 1;
        return new Cacheable({ [state.signingKid]: state.signingPem });
      },
    },
    {
      method: 'GET',
      path: '/tokeninfo',
      handler: ({ url }) => state.tokenInfo(url.searchParams.get('access_token') ?? ''),
    },
    { method: 'POST', path: '/v1/token', handler: ({ form }) => sts(state, form) },
    { method: 'POST', path: '/token', handler: ({ form }) => jwtBearer(state, form) },
    {
      // The last segment is `{email}:{method}`, Google's custom-method syntax.
      method: 'POST',
      path: '/v1/projects/-/serviceAccounts/:call',
      handler: ({ request, params, json }) => {
        const call = /^([^:]+):(generateAccessToken|generateIdToken)$/.exec(params.call ?? '');
        if (!call?.[1] || !call[2]) throw new HttpProblem(404, { error: 'not_found' });
        return iamCredentials(
          state,
          request,
          call[1],
          call[2] as 'generateAccessToken' | 'generateIdToken',
          json(),
        );
      },
    },
  ]);
  const adminRoutes = new Router<GoogleHandler>([
    { method: 'GET', path: '/__admin/counters', handler: () => state.counters() },
    { method: 'GET', path: '/__admin/faults', handler: () => state.faults() },
    {
      method: 'POST',
      path: '/__admin/faults',
      handler: ({ json }) => {
        state.changeFaults(json() as Partial<FaultSettings>);
        return state.faults();
      },
    },
    {
      method: 'POST',
      path: '/__admin/reset',
      handler: () => {
        state.changeFaults(state.defaultFaults);
        state.resetCounters();
        return { faults: state.faults(), counters: state.counters() };
      },
    },
  ]);

  const route = async (request: IncomingMessage): Promise<unknown> => {
    const url = new URL(request.url ?? '/', baseUrl);
    let raw: string;
    try {
      raw = await readBody(request, 1_000_000);
    } catch (error) {
      if (error instanceof StandInError) throw new HttpProblem(413, { error: 'request_too_large' });
      throw error;
    }
    const contentType = request.headers['content-type'] ?? '';
    const form = new URLSearchParams(contentType.includes('form-urlencoded') ? raw : '');
    const json = (): Record<string, unknown> => {
      if (!contentType.includes('json') || raw === '') return {};
      try {
        return JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
      }
    };
    const table = url.pathname.startsWith('/__admin/') ? adminRoutes : routes;
    const match = table.match(request.method ?? 'GET', url.pathname);
    if (!match.handler) {
      throw match.methodMismatch
        ? new HttpProblem(405, { error: 'method_not_allowed' })
        : new HttpProblem(404, { error: 'not_found' });
    }
    return match.handler({ request, url, params: match.params, form, json });
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    route(request).then(
      (body) =>
        body instanceof Cacheable
          ? send(response, 200, body.value, CERTS_CACHE_CONTROL)
          : send(response, 200, body),
      (error: unknown) => {
        if (error instanceof DroppedConnection) response.socket?.destroy();
        else if (error instanceof HttpProblem) send(response, error.status, error.body);
        else send(response, 500, { error: 'internal', error_description: String(error) });
      },
    );
  });
  const listening = await listenOn(server, options.host, options.port, 'google');
  baseUrl = listening.url;

  return {
    url: baseUrl,
    server,
    counters: () => structuredClone(state.counters()),
    faults: () => ({ ...state.faults() }),
    setFaults: state.changeFaults,
    createServiceAccountKey: async (email) => {
      const account = state.accounts.get(email);
      if (!account) throw new Error(`unknown service account ${email}`);
      const pair = await generateKeyPair('RS256', { extractable: true });
      const kid = randomBytes(20).toString('hex');
      state.keys.set(kid, { kid, email, publicKey: pair.publicKey });
      return {
        type: 'service_account',
        project_id: email.split('@')[1]?.split('.')[0] ?? 'local',
        private_key_id: kid,
        private_key: await exportPKCS8(pair.privateKey),
        client_email: email,
        client_id: account.uniqueId,
        token_uri: GOOGLE_TOKEN_AUDIENCE,
      };
    },
    deleteServiceAccountKey: (kid) => {
      state.keys.delete(kid);
    },
    introspect: (accessToken) => {
      const issued = state.liveAccessToken(accessToken);
      return issued && { subject: issued.subject, scopes: issued.scopes };
    },
    close: listening.close,
  };
}

/**
 * Google serves its signing certs as cacheable (`public, max-age=..., must-revalidate,
 * no-transform`, max-age in the hours); google-auth-library keeps them until max-age runs out,
 * so the echo service fetches them once instead of on every request. Everything else is
 * `no-store`, as Google's token endpoints answer.
 */
const CERTS_CACHE_CONTROL = 'public, max-age=21600, must-revalidate, no-transform';

/** A route answer that may be cached (the certs). */
class Cacheable {
  constructor(readonly value: unknown) {}
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  cacheControl = 'no-store',
): void {
  sendJson(response, status, body, { 'x-request-id': randomUUID(), 'cache-control': cacheControl });
}
