import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors } from 'oidc-provider';
import { listenOn } from '../stand-in/listen';
import { CROSSGATE_AUDIENCE, OTHER_AUDIENCE, seededMachineClients } from './machine-clients';

export interface LocalOidcProvider {
  issuer: string;
  close: () => Promise<void>;
  clients: Record<string, { clientSecret: string; scope: string; alg: string }>;
}

/**
 * A real, certified OpenID Provider (oidc-provider) for machine clients: client_credentials
 * grants give RFC 9068 JWT access tokens with `aud` crossgate, signed RS256 or ES256.
 */
export async function startOidcProvider(host: string, port: number): Promise<LocalOidcProvider> {
  const issuer = `http://${host}:${port}`;
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ec = await generateKeyPair('ES256', { extractable: true });
  const keys = [
    {
      ...(await exportJWK(rsa.privateKey)),
      kid: `rsa-${randomBytes(4).toString('hex')}`,
      alg: 'RS256',
      use: 'sig',
    },
    {
      ...(await exportJWK(ec.privateKey)),
      kid: `ec-${randomBytes(4).toString('hex')}`,
      alg: 'ES256',
      use: 'sig',
    },
  ];

  const clients: LocalOidcProvider['clients'] = {};
  for (const [clientId, client] of Object.entries(seededMachineClients)) {
    clients[clientId] = { clientSecret: randomBytes(24).toString('base64url'), ...client };
  }
  const allScopes = new Set(Object.values(seededMachineClients).flatMap((c) => c.scope.split(' ')));

  const provider = new Provider(issuer, {
    clients: Object.entries(clients).map(([clientId, client]) => ({
      client_id: clientId,
      client_secret: client.clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: client.scope,
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys },
    ttl: { ClientCredentials: 3600 },
    scopes: [...allScopes],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => CROSSGATE_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (resource !== CROSSGATE_AUDIENCE && resource !== OTHER_AUDIENCE) {
            throw new errors.InvalidTarget();
          }
          return {
            scope: [...allScopes].join(' '),
            audience: resource,
            accessTokenTTL: 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: (clients[client.clientId]?.alg ?? 'RS256') as 'RS256' | 'ES256' } },
          };
        },
      },
    },
  });
  // oidc-provider logs a warning per request about http issuers; it is loopback by design.
  provider.proxy = false;

  const { close } = await listenOn(createServer(provider.callback()), host, port);
  return { issuer, close, clients };
}
