import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOn, readBody, Router, sendJson, StandInError } from '../stand-in';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import { verifySigV4 } from './aws-sigv4';

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

export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const AWS4_REQUEST = 'urn:ietf:params:aws:token-type:aws4_request';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

export interface GoogleStandInOptions {
  host: string;
  port: number;
  /** `//iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/Q` */
  workloadIdentityAudience: string;
  /** AWS keys whose signatures "AWS" confirms (what moto accepts offline). */
  awsKeys: Record<string, string>;
  /** Service accounts that exist, and whether federated identities may impersonate them. */
  serviceAccounts: { email: string; allowFederated: boolean }[];
}

export interface FaultSettings {
  /**
   * normal; unavailable: token endpoints answer 503; slow: they wait `delayMs` first;
   * reject: they refuse every credential (401 / invalid_grant).
   */
  mode: 'normal' | 'unavailable' | 'slow' | 'reject';
  delayMs: number;
  /** Lifetime of minted ID and access tokens (Google: 3600). */
  tokenLifetimeSeconds: number;
}

export interface MintCounters {
  sts: number;
  generateAccessToken: number;
  generateIdToken: number;
  jwtBearerAccessToken: number;
  jwtBearerIdToken: number;
  /** ID tokens minted, per audience. */
  idTokensByAudience: Record<string, number>;
  /** Requests refused, per endpoint. */
  refused: Record<string, number>;
  /** Answers from /oauth2/v1/certs and /oauth2/v3/certs: how often verifiers refetch the keys. */
  certsServed: number;
}

export interface ServiceAccountKey {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

interface IssuedToken {
  kind: 'federated' | 'access';
  subject: string;
  scopes: string[];
  expiresAt: number;
}

interface RegisteredKey {
  kid: string;
  email: string;
  publicKey: CryptoKey;
}

export interface GoogleStandIn {
  url: string;
  server: Server;
  counters: () => MintCounters;
  faults: () => FaultSettings;
  setFaults: (settings: Partial<FaultSettings>) => void;
  /** Creates a new key for a service account (what `gcloud iam service-accounts keys create` does). */
  createServiceAccountKey: (email: string) => Promise<ServiceAccountKey>;
  /** Deletes a key: assertions it signs are refused from now on. */
  deleteServiceAccountKey: (kid: string) => void;
  /** Whether an access token was issued here and is still valid, with its scopes. */
  introspect: (accessToken: string) => { subject: string; scopes: string[] } | undefined;
  close: () => Promise<void>;
}

/** The connection is cut without an answer (a held request when faults change). */
class DroppedConnection extends Error {}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.error ?? status));
  }
}

const oauthError = (status: number, error: string, description: string) =>
  new HttpProblem(status, { error, error_description: description });
const googleError = (status: number, state: string, message: string) =>
  new HttpProblem(status, { error: { code: status, message, status: state } });

export async function startGoogleStandIn(options: GoogleStandInOptions): Promise<GoogleStandIn> {
  const signing = await generateKeyPair('RS256', { extractable: true });
  const signingKid = randomBytes(20).toString('hex');
  const signingJwk: JWK = {
    ...(await exportJWK(signing.publicKey)),
    kid: signingKid,
    alg: 'RS256',
    use: 'sig',
  };
  const signingPem = await exportSPKI(signing.publicKey);

  const accounts = new Map(
    options.serviceAccounts.map((account) => [
      account.email,
      {
        ...account,
        uniqueId: String(100000000000000000000n + BigInt(randomBytes(6).readUIntBE(0, 6))),
      },
    ]),
  );
  const keys = new Map<string, RegisteredKey>();
  const tokens = new Map<string, IssuedToken>();
  const emptyCounters = (): MintCounters => ({
    sts: 0,
    generateAccessToken: 0,
    generateIdToken: 0,
    jwtBearerAccessToken: 0,
    jwtBearerIdToken: 0,
    idTokensByAudience: {},
    refused: {},
    certsServed: 0,
  });
  let counters = emptyCounters();
  const defaultFaults: FaultSettings = { mode: 'normal', delayMs: 0, tokenLifetimeSeconds: 3600 };
  let faults: FaultSettings = { ...defaultFaults };
  /** Requests held by the `slow` fault; cut when faults change, so none lands later. */
  const slowRequests = new Set<AbortController>();
  const changeFaults = (settings: Partial<FaultSettings>) => {
    faults = { ...faults, ...settings };
    for (const controller of slowRequests) controller.abort();
  };
  let baseUrl = '';

  const lifetime = () => faults.tokenLifetimeSeconds;

  const issue = (kind: IssuedToken['kind'], subject: string, scopes: string[]) => {
    const token = `ya29.${kind === 'federated' ? 'fed' : 'sa'}-${randomBytes(24).toString('base64url')}`;
    const expiresAt = Date.now() + lifetime() * 1000;
    tokens.set(token, { kind, subject, scopes, expiresAt });
    return { token, expiresAt };
  };

  const signIdToken = async (email: string, audience: string, includeEmail: boolean) => {
    const account = accounts.get(email);
    if (!account) throw googleError(404, 'NOT_FOUND', `service account ${email} not found`);
    counters.idTokensByAudience[audience] = (counters.idTokensByAudience[audience] ?? 0) + 1;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      azp: includeEmail ? email : account.uniqueId,
      ...(includeEmail ? { email, email_verified: true } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: signingKid, typ: 'JWT' })
      .setIssuer(GOOGLE_ISSUER)
      .setAudience(audience)
      .setSubject(account.uniqueId)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime())
      .sign(signing.privateKey);
  };

  /** A live access token this stand-in issued, or undefined. */
  const liveAccessToken = (accessToken: string) => {
    const issued = tokens.get(accessToken);
    return issued && issued.kind === 'access' && issued.expiresAt > Date.now() ? issued : undefined;
  };

  /** Google's tokeninfo: what an access token is good for, so tests can see its scopes. */
  const tokenInfo = (accessToken: string) => {
    const issued = liveAccessToken(accessToken);
    if (!issued) {
      throw new HttpProblem(400, { error: 'invalid_token', error_description: 'Invalid Value' });
    }
    return {
      email: issued.subject,
      scope: issued.scopes.join(' '),
      exp: String(Math.floor(issued.expiresAt / 1000)),
      expires_in: String(Math.floor((issued.expiresAt - Date.now()) / 1000)),
    };
  };

  /** Fault switches apply to every minting endpoint. */
  const applyFaults = async (endpoint: string) => {
    if (faults.mode === 'slow') {
      const controller = new AbortController();
      slowRequests.add(controller);
      try {
        await sleep(faults.delayMs, undefined, { signal: controller.signal });
      } catch {
        throw new DroppedConnection();
      } finally {
        slowRequests.delete(controller);
      }
    }
    if (faults.mode === 'unavailable') {
      throw googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.');
    }
    if (faults.mode === 'reject') {
      counters.refused[endpoint] = (counters.refused[endpoint] ?? 0) + 1;
      throw endpoint === 'oauth2'
        ? oauthError(400, 'invalid_grant', 'Invalid JWT Signature.')
        : googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    }
  };

  const refuse = (endpoint: string, problem: HttpProblem): never => {
    counters.refused[endpoint] = (counters.refused[endpoint] ?? 0) + 1;
    throw problem;
  };

  // ---------------------------------------------------------------------------
  // Endpoints
  // ---------------------------------------------------------------------------

  const sts = async (form: URLSearchParams) => {
    await applyFaults('sts');
    const bad = (description: string) =>
      refuse('sts', oauthError(400, 'invalid_request', description));
    if (form.get('grant_type') !== TOKEN_EXCHANGE) bad('grant_type must be token-exchange');
    if (form.get('audience') !== options.workloadIdentityAudience) {
      refuse(
        'sts',
        oauthError(
          400,
          'invalid_target',
          'The target service indicated by the "audience" parameters is invalid.',
        ),
      );
    }
    if (form.get('subject_token_type') !== AWS4_REQUEST)
      bad('subject_token_type must be aws4_request');
    if (form.get('requested_token_type') !== ACCESS_TOKEN_TYPE)
      bad('requested_token_type must be access_token');
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (!scopes.includes(CLOUD_PLATFORM)) bad('scope must include cloud-platform');

    let subjectToken: { url?: unknown; method?: unknown; headers?: unknown };
    try {
      subjectToken = JSON.parse(
        decodeURIComponent(form.get('subject_token') ?? ''),
      ) as typeof subjectToken;
    } catch {
      return refuse(
        'sts',
        oauthError(400, 'invalid_grant', 'The subject token is not a serialized AWS request.'),
      );
    }
    const { url, method, headers } = subjectToken;
    if (typeof url !== 'string' || method !== 'POST' || !Array.isArray(headers)) {
      return refuse(
        'sts',
        oauthError(400, 'invalid_grant', 'The subject token must be a POST with url and headers.'),
      );
    }
    const parsed = new URL(url);
    if (
      !/^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(parsed.hostname) ||
      parsed.protocol !== 'https:' ||
      parsed.searchParams.get('Action') !== 'GetCallerIdentity' ||
      parsed.searchParams.get('Version') !== '2011-06-15'
    ) {
      return refuse(
        'sts',
        oauthError(
          400,
          'invalid_grant',
          'The subject token is not a GetCallerIdentity request to AWS STS.',
        ),
      );
    }
    const headerMap: Record<string, string> = {};
    for (const entry of headers as { key?: unknown; value?: unknown }[]) {
      if (typeof entry.key === 'string' && typeof entry.value === 'string') {
        headerMap[entry.key.toLowerCase()] = entry.value;
      }
    }
    if (headerMap['x-goog-cloud-target-resource'] !== options.workloadIdentityAudience) {
      return refuse(
        'sts',
        oauthError(
          400,
          'invalid_grant',
          'x-goog-cloud-target-resource does not name this provider.',
        ),
      );
    }
    if (headerMap.host !== undefined && headerMap.host !== parsed.host) {
      return refuse(
        'sts',
        oauthError(400, 'invalid_grant', 'The host header does not match the URL.'),
      );
    }
    let signer: { accessKeyId: string; service: string };
    try {
      signer = verifySigV4({ url, method, headers: headerMap }, (id) => options.awsKeys[id]);
    } catch (error) {
      return refuse(
        'sts',
        oauthError(400, 'invalid_grant', `AWS rejected the request: ${(error as Error).message}`),
      );
    }
    if (signer.service !== 'sts') {
      return refuse('sts', oauthError(400, 'invalid_grant', 'The request was not signed for sts.'));
    }
    counters.sts += 1;
    const subject = `${options.workloadIdentityAudience.replace(/\/providers\/.*$/, '')}/subject/${signer.accessKeyId}`;
    const { token } = issue('federated', subject, [CLOUD_PLATFORM]);
    return {
      access_token: token,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: lifetime(),
    };
  };

  const iamCredentials = async (
    request: IncomingMessage,
    email: string,
    method: 'generateAccessToken' | 'generateIdToken',
    body: Record<string, unknown>,
  ) => {
    await applyFaults(method);
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const caller = bearer ? tokens.get(bearer) : undefined;
    if (!caller || caller.expiresAt <= Date.now()) {
      return refuse(
        method,
        googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'),
      );
    }
    const account = accounts.get(email);
    if (!account)
      return refuse(method, googleError(404, 'NOT_FOUND', `Service account ${email} not found.`));
    if (caller.kind !== 'federated' || !account.allowFederated) {
      return refuse(
        method,
        googleError(
          403,
          'PERMISSION_DENIED',
          "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
        ),
      );
    }
    if (method === 'generateAccessToken') {
      const scope = body.scope;
      if (
        !Array.isArray(scope) ||
        scope.length === 0 ||
        !scope.every((s) => typeof s === 'string')
      ) {
        return refuse(method, googleError(400, 'INVALID_ARGUMENT', 'Scope required.'));
      }
      const requested = /^(\d+)s$/.exec(String(body.lifetime ?? '3600s'));
      if (!requested || Number(requested[1]) > 3600) {
        return refuse(
          method,
          googleError(400, 'INVALID_ARGUMENT', 'lifetime must be at most 3600s.'),
        );
      }
      counters.generateAccessToken += 1;
      const { token, expiresAt } = issue('access', email, scope as string[]);
      return { accessToken: token, expireTime: new Date(expiresAt).toISOString() };
    }
    if (typeof body.audience !== 'string' || body.audience === '') {
      return refuse(method, googleError(400, 'INVALID_ARGUMENT', 'audience is required.'));
    }
    counters.generateIdToken += 1;
    return { token: await signIdToken(email, body.audience, body.includeEmail === true) };
  };

  const jwtBearer = async (form: URLSearchParams) => {
    await applyFaults('oauth2');
    if (form.get('grant_type') !== JWT_BEARER) {
      return refuse('oauth2', oauthError(400, 'unsupported_grant_type', 'Invalid grant_type.'));
    }
    const assertion = form.get('assertion') ?? '';
    let kid: string | undefined;
    let issuer: unknown;
    try {
      kid = decodeProtectedHeader(assertion).kid;
      issuer = decodeJwt(assertion).iss;
    } catch {
      return refuse('oauth2', oauthError(400, 'invalid_grant', 'Invalid JWT.'));
    }
    // Like Google: the kid picks the key when present, else every key of the issuing account.
    const candidates = [...keys.values()].filter(
      (candidate) => candidate.email === issuer && (kid === undefined || candidate.kid === kid),
    );
    let claims: Record<string, unknown> | undefined;
    let key: RegisteredKey | undefined;
    for (const candidate of candidates) {
      try {
        ({ payload: claims } = await jwtVerify(assertion, candidate.publicKey, {
          algorithms: ['RS256'],
          audience: GOOGLE_TOKEN_AUDIENCE,
          issuer: candidate.email,
          maxTokenAge: '1h',
          clockTolerance: 60,
        }));
        key = candidate;
        break;
      } catch {
        // Try the account's next key.
      }
    }
    if (!claims || !key) {
      return refuse('oauth2', oauthError(400, 'invalid_grant', 'Invalid JWT Signature.'));
    }
    if (
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number' ||
      claims.exp - claims.iat > 3600
    ) {
      return refuse(
        'oauth2',
        oauthError(
          400,
          'invalid_grant',
          'Invalid JWT: Token must be a short-lived token (60 minutes).',
        ),
      );
    }
    if (typeof claims.target_audience === 'string') {
      counters.jwtBearerIdToken += 1;
      return { id_token: await signIdToken(key.email, claims.target_audience, true) };
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    if (scopes.length === 0) {
      return refuse(
        'oauth2',
        oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.'),
      );
    }
    counters.jwtBearerAccessToken += 1;
    const { token } = issue('access', key.email, scopes);
    return { access_token: token, expires_in: lifetime(), token_type: 'Bearer' };
  };

  // ---------------------------------------------------------------------------
  // HTTP plumbing
  // ---------------------------------------------------------------------------

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
        counters.certsServed += 1;
        return new Cacheable({ keys: [signingJwk] });
      },
    },
    {
      method: 'GET',
      path: '/oauth2/v1/certs',
      handler: () => {
        counters.certsServed += 1;
        return new Cacheable({ [signingKid]: signingPem });
      },
    },
    {
      method: 'GET',
      path: '/tokeninfo',
      handler: ({ url }) => tokenInfo(url.searchParams.get('access_token') ?? ''),
    },
    { method: 'POST', path: '/v1/token', handler: ({ form }) => sts(form) },
    { method: 'POST', path: '/token', handler: ({ form }) => jwtBearer(form) },
    {
      // The last segment is `{email}:{method}`, Google's custom-method syntax.
      method: 'POST',
      path: '/v1/projects/-/serviceAccounts/:call',
      handler: ({ request, params, json }) => {
        const call = /^([^:]+):(generateAccessToken|generateIdToken)$/.exec(params.call ?? '');
        if (!call?.[1] || !call[2]) throw new HttpProblem(404, { error: 'not_found' });
        return iamCredentials(
          request,
          call[1],
          call[2] as 'generateAccessToken' | 'generateIdToken',
          json(),
        );
      },
    },
  ]);
  const adminRoutes = new Router<GoogleHandler>([
    { method: 'GET', path: '/__admin/counters', handler: () => counters },
    { method: 'GET', path: '/__admin/faults', handler: () => faults },
    {
      method: 'POST',
      path: '/__admin/faults',
      handler: ({ json }) => {
        changeFaults(json() as Partial<FaultSettings>);
        return faults;
      },
    },
    {
      method: 'POST',
      path: '/__admin/reset',
      handler: () => {
        changeFaults(defaultFaults);
        counters = emptyCounters();
        return { faults, counters };
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
    counters: () => structuredClone(counters),
    faults: () => ({ ...faults }),
    setFaults: changeFaults,
    createServiceAccountKey: async (email) => {
      const account = accounts.get(email);
      if (!account) throw new Error(`unknown service account ${email}`);
      const pair = await generateKeyPair('RS256', { extractable: true });
      const kid = randomBytes(20).toString('hex');
      keys.set(kid, { kid, email, publicKey: pair.publicKey });
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
      keys.delete(kid);
    },
    introspect: (accessToken) => {
      const issued = liveAccessToken(accessToken);
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
