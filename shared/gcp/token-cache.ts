/** A token and the moment it stops being valid (epoch ms). */
export interface MintedToken {
  token: string;
  expiresAt: number;
}

export interface TokenCacheOptions {
  /** A token is reused until this long before it expires. */
  marginMs: number;
  now?: () => number;
}

/**
 * Tokens per key (an audience, a scope set) until `marginMs` before they expire, with one mint
 * in flight per key: concurrent requests for a missing token share the same mint.
 *
 * A token that arrives already inside the margin is handed to the requests that waited for it
 * but not kept, so the next request mints again.
 */
export class TokenCache {
  private readonly tokens = new Map<string, MintedToken>();
  private readonly inFlight = new Map<string, Promise<MintedToken>>();
  private readonly now: () => number;

  constructor(private readonly options: TokenCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The cached token for `key`, or the result of one shared `mint()`. */
  get(key: string, mint: () => Promise<MintedToken>): Promise<string> {
    const cached = this.tokens.get(key);
    if (cached && this.isFresh(cached)) return Promise.resolve(cached.token);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = mint()
        .then((minted) => {
          if (this.isFresh(minted)) this.tokens.set(key, minted);
          else this.tokens.delete(key);
          return minted;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending.then((minted) => minted.token);
  }

  /** Forgets a token (the backend rejected it); the next `get` mints. */
  delete(key: string): void {
    this.tokens.delete(key);
  }

  private isFresh(token: MintedToken): boolean {
    return token.expiresAt - this.options.marginMs > this.now();
  }
}
