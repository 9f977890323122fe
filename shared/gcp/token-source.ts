import type { IdTokenClient, OAuth2Client } from 'google-auth-library';
import type { MintedToken } from './token-cache';

/**
 * Mints Google tokens from one version of the credential secret. One implementation per
 * credential shape; GcpCredentials caches what they mint.
 */
export interface TokenSource {
  /** An OAuth2 access token for these scopes (Spanner, other Google APIs). */
  accessToken(scopes: readonly string[]): Promise<MintedToken>;
  /** A Google-signed OIDC ID token whose `aud` is `audience` (a Cloud Run service URL). */
  idToken(audience: string): Promise<MintedToken>;
  /** Drops what the source's own clients cache for this audience (the service refused it). */
  forgetIdToken(audience: string): void;
}

/** The secret holds no usable token for the request (short_lived_tokens expired or missing). */
export class NoUsableTokenError extends Error {
  override readonly name = 'NoUsableTokenError';
}

/** Expiry of a JWT (epoch ms) from its `exp` claim; the token was just received from Google. */
export function jwtExpiry(token: string): number {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('the ID token is not a JWT');
  const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown })
    .exp;
  if (typeof exp !== 'number') throw new Error('the ID token has no exp claim');
  return exp * 1000;
}

/** The access token a google-auth-library client holds, with its expiry; `from` as above. */
export async function accessTokenOf(
  client: Pick<OAuth2Client, 'getAccessToken' | 'credentials'>,
  from: string,
): Promise<MintedToken> {
  const { token } = await client.getAccessToken();
  const expiresAt = client.credentials.expiry_date;
  if (!token || !expiresAt) throw new Error(`${from} returned no access token`);
  return { token, expiresAt };
}

/** The ID token an IdTokenClient would send, with its expiry; `from` names the issuer for errors. */
export async function idTokenOf(
  client: Pick<IdTokenClient, 'getRequestHeaders'>,
  from: string,
): Promise<MintedToken> {
  const headers = await client.getRequestHeaders();
  const token = headers.get('authorization')?.replace(/^Bearer /, '');
  if (!token) throw new Error(`${from} returned no ID token`);
  return { token, expiresAt: jwtExpiry(token) };
}
