import type { gaxios } from 'google-auth-library';
import { IdTokenClient, JWT } from './google-auth-clients';
import type { ServiceAccountCredential } from './credential-secret';
import { accessTokenOf, idTokenOf, type TokenSource } from './token-source';
import type { MintedToken } from './token-cache';

export interface ServiceAccountSourceOptions {
  /** Must redirect https://oauth2.googleapis.com offline (see google-transport.ts). */
  transporterOptions: gaxios.GaxiosOptions;
  eagerRefreshThresholdMillis: number;
}

/**
 * A service-account key: the OAuth2 JWT-bearer grant, through google-auth-library's JWT
 * client (access tokens per scope set) and IdTokenClient over it (ID tokens per audience).
 */
export class ServiceAccountSource implements TokenSource {
  private readonly jwtByScopes = new Map<string, JWT>();
  private readonly idTokenClients = new Map<string, IdTokenClient>();

  constructor(
    private readonly credential: ServiceAccountCredential,
    private readonly options: ServiceAccountSourceOptions,
  ) {}

  async accessToken(scopes: readonly string[]): Promise<MintedToken> {
    return accessTokenOf(this.jwt(scopes), 'the OAuth2 token endpoint');
  }

  forgetIdToken(audience: string): void {
    this.idTokenClients.delete(audience);
  }

  async idToken(audience: string): Promise<MintedToken> {
    let client = this.idTokenClients.get(audience);
    if (!client) {
      client = new IdTokenClient({
        targetAudience: audience,
        idTokenProvider: this.jwt([]),
        transporterOptions: this.options.transporterOptions,
        eagerRefreshThresholdMillis: this.options.eagerRefreshThresholdMillis,
      });
      this.idTokenClients.set(audience, client);
    }
    return idTokenOf(client, 'the OAuth2 token endpoint');
  }

  private jwt(scopes: readonly string[]): JWT {
    const key = [...scopes].sort().join(' ');
    let client = this.jwtByScopes.get(key);
    if (!client) {
      client = new JWT({
        email: this.credential.client_email,
        key: this.credential.private_key,
        keyId: this.credential.private_key_id,
        scopes: scopes.length > 0 ? [...scopes] : undefined,
        transporterOptions: this.options.transporterOptions,
        eagerRefreshThresholdMillis: this.options.eagerRefreshThresholdMillis,
      });
      this.jwtByScopes.set(key, client);
    }
    return client;
  }
}
