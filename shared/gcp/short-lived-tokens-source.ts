import type { ShortLivedTokensCredential } from './credential-secret';
import { NoUsableTokenError, type TokenSource } from './token-source';
import type { MintedToken } from './token-cache';

/**
 * Tokens minted by a separate job and stored in the secret with their expiry. Nothing is
 * minted here: a token that is missing or inside the refresh margin is a NoUsableTokenError,
 * and GcpCredentials re-reads the secret once (the job may have rotated it) before giving up.
 */
export class ShortLivedTokensSource implements TokenSource {
  constructor(
    private readonly credential: ShortLivedTokensCredential,
    private readonly options: { marginMs: number; now: () => number },
  ) {}

  async accessToken(scopes: readonly string[]): Promise<MintedToken> {
    const match = this.credential.access_tokens
      .map((entry) => ({ entry, expiresAt: Date.parse(entry.expires_at) }))
      .filter(({ entry }) => scopes.every((scope) => entry.scopes.includes(scope)))
      .sort((a, b) => b.expiresAt - a.expiresAt)[0];
    return this.usable(match?.entry.token, match?.expiresAt, `scopes ${scopes.join(' ')}`);
  }

  forgetIdToken(): void {
    // Nothing cached here: the tokens live in the secret.
  }

  async idToken(audience: string): Promise<MintedToken> {
    const match = this.credential.id_tokens
      .filter((entry) => entry.audience === audience)
      .map((entry) => ({ entry, expiresAt: Date.parse(entry.expires_at) }))
      .sort((a, b) => b.expiresAt - a.expiresAt)[0];
    return this.usable(match?.entry.token, match?.expiresAt, `audience ${audience}`);
  }

  private usable(
    token: string | undefined,
    expiresAt: number | undefined,
    what: string,
  ): MintedToken {
    if (!token || expiresAt === undefined) {
      throw new NoUsableTokenError(`the credential secret holds no token for ${what}`);
    }
    if (expiresAt - this.options.marginMs <= this.options.now()) {
      throw new NoUsableTokenError(`the credential secret's token for ${what} is about to expire`);
    }
    return { token, expiresAt };
  }
}
