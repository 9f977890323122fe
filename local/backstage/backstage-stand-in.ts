import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { listenOn, Router, sendJson, StandInError } from '../stand-in';

/**
 * A Backstage-format issuer: what Backstage's auth backend publishes and signs, and no more.
 *
 * - `GET /api/auth/.well-known/jwks.json`: its ES256 public keys;
 * - `GET /api/auth/.well-known/openid-configuration`: issuer and jwks_uri, as the auth
 *   backend serves them;
 * - `POST /__stand-in/users/{name}/token` (loopback, for `npm run token -- alice --backstage`
 *   and tests): a user token in the shape of the auth backend's refresh answer
 *   (`backstageIdentity.token`, `identity.userEntityRef`, `ownershipEntityRefs`).
 *
 * Tokens: ES256 with `kid`, `iss` `<base>/api/auth`, `aud` `backstage`, `sub` the user entity
 * ref, `ent` the ownership refs (the user and their groups), one hour.
 */

/** The seeded catalog: users and the groups they own through. */
export const backstageUsers: Record<string, string[]> = {
  alice: ['group:default/release-managers'],
  bob: ['group:default/developers'],
};

/** Backstage's user token lifetime: one hour. */
const TOKEN_LIFETIME_SECONDS = 3600;

export interface BackstageIdentity {
  token: string;
  expiresInSeconds: number;
  identity: { type: 'user'; userEntityRef: string; ownershipEntityRefs: string[] };
}

export interface BackstageStandIn {
  url: string;
  port: number;
  issuer: string;
  jwksUri: string;
  /** Mints a user token, as the auth backend does after sign-in. */
  mint: (name: string, options?: { lifetimeSeconds?: number }) => Promise<BackstageIdentity>;
  close: () => Promise<void>;
}

export interface BackstageStandInOptions {
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
}

type Handler = (params: Record<string, string>) => Promise<unknown> | unknown;

export async function startBackstageStandIn(
  options: BackstageStandInOptions = {},
): Promise<BackstageStandIn> {
  const host = options.host ?? '127.0.0.1';
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomBytes(16).toString('hex');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  let issuer = '';

  const mint: BackstageStandIn['mint'] = async (name, mintOptions = {}) => {
    const groups = backstageUsers[name];
    if (!groups) {
      throw new StandInError(
        404,
        `unknown Backstage user "${name}"; seeded: ${Object.keys(backstageUsers).join(', ')}`,
      );
    }
    const userEntityRef = `user:default/${name}`;
    const ownershipEntityRefs = [userEntityRef, ...groups];
    const lifetime = mintOptions.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS;
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ent: ownershipEntityRefs })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(issuer)
      .setAudience('backstage')
      .setSubject(userEntityRef)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .sign(privateKey);
    return {
      token,
      expiresInSeconds: lifetime,
      identity: { type: 'user', userEntityRef, ownershipEntityRefs },
    };
  };

  const publicRoutes = new Router<Handler>([
    { method: 'GET', path: '/api/auth/.well-known/jwks.json', handler: () => ({ keys: [jwk] }) },
    {
      method: 'GET',
      path: '/api/auth/.well-known/openid-configuration',
      handler: () => ({
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        token_endpoint: `${issuer}/v1/token`,
        userinfo_endpoint: `${issuer}/v1/userinfo`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        scopes_supported: ['openid'],
        claims_supported: ['sub', 'ent'],
      }),
    },
  ]);
  const adminRoutes = new Router<Handler>([
    {
      method: 'POST',
      path: '/__stand-in/users/:name/token',
      handler: async (params) => ({ backstageIdentity: await mint(params.name ?? '') }),
    },
  ]);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const admin = path.startsWith('/__stand-in/');
    const loopback = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(
      req.socket.remoteAddress ?? '',
    );
    if (admin && !loopback) throw new StandInError(403, 'loopback only');
    const match = (admin ? adminRoutes : publicRoutes).match(req.method ?? 'GET', path);
    if (!match.handler) throw new StandInError(match.methodMismatch ? 405 : 404, 'Not Found');
    const value = await match.handler(match.params);
    // The auth backend lets clients cache its keys for an hour.
    sendJson(
      res,
      200,
      value,
      admin ? { 'cache-control': 'no-store' } : { 'cache-control': 'public, max-age=3600' },
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof StandInError ? error.status : 500;
      // Backstage's error body: { error: { name, message }, response: { statusCode } }.
      sendJson(res, status, {
        error: {
          name: status === 404 ? 'NotFoundError' : 'Error',
          message: error instanceof Error ? error.message : String(error),
        },
        response: { statusCode: status },
      });
    });
  });
  const listening = await listenOn(server, host, options.port, 'backstage');
  issuer = `${listening.url}/api/auth`;
  return {
    url: listening.url,
    port: listening.port,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    mint,
    close: listening.close,
  };
}
