import { LRUCache } from 'lru-cache';

/** A token and the moment it stops being valid (epoch ms). */
export interface MintedToken {
  token: string;
  expiresAt: number;
}

export interface TokenCacheOptions {
  /** A token is reused until this long before it expires; then the next request mints. */
  marginMs: number;
  /**
   * When a mint fails, the cached token is served until this long before its real expiry
   * (Google down, token still good). 0 serves it to the last millisecond.
   */
  staleMarginMs?: number;
  /** While a stale token is served, a new mint is tried again after this long at the latest. */
  staleRetryMs?: number;
  /** Keys (audiences, scope sets) kept at most. */
  maxKeys?: number;
  /**
   * A failed mint was answered with the cached token: for a warning log. Gets the key (an
   * audience or scope set, never a token) and the failure.
   */
  onStaleToken?: (key: string, error: unknown, expiresAt: number) => void;
  now?: () => number;
}

const defaults = {
  staleMarginMs: 30_000,
  staleRetryMs: 5_000,
  maxKeys: 500,
  onStaleToken: () => {},
  now: Date.now,
} satisfies Omit<Required<TokenCacheOptions>, 'marginMs'>;

type Mint = () => Promise<MintedToken>;

/**
 * Tokens per key (an audience, a scope set) over lru-cache's `fetch()`:
 *
 * - reused until `marginMs` before they expire (the entry's ttl);
 * - one mint in flight per key, shared by every request that waits for it;
 * - a token that arrives already inside the margin is handed to the requests that waited for
 *   it but kept for 1 ms only, so the next request mints again;
 * - when a mint fails and the cached token is still good for more than `staleMarginMs`, that
 *   token is served (and `onStaleToken` told), and a new mint is tried after `staleRetryMs`.
 *   lru-cache's `allowStaleOnFetchRejection` would serve it to the very end and swallow the
 *   error when there is none; this keeps the margin and the typed error.
 */
export class TokenCache {
  private readonly options: Required<TokenCacheOptions>;
  private readonly tokens: LRUCache<string, MintedToken, Mint>;
  /** Tokens served after a failed mint: their ttl (staleRetryMs) decides the next attempt. */
  private readonly servingStale = new WeakSet<MintedToken>();

  constructor(options: TokenCacheOptions) {
    this.options = { ...defaults, ...options };
    this.tokens = new LRUCache<string, MintedToken, Mint>({
      max: this.options.maxKeys,
      ttlResolution: 0,
      perf: { now: this.options.now },
      // A forgotten token (delete) must not fail the requests already waiting for a mint.
      ignoreFetchAbort: true,
      fetchMethod: (key, stale, { context, options }) => this.mint(key, stale, context, options),
    });
  }

  /** The cached token for `key`, or the result of one shared `mint()`. */
  async get(key: string, mint: Mint): Promise<string> {
    // lru-cache's ttl frees the entry; whether the token is still fresh is decided here, to
    // the millisecond (lru-cache counts an entry stale only once its age exceeds the ttl).
    const cached = this.tokens.peek(key, { allowStale: true });
    const forceRefresh =
      cached !== undefined &&
      cached.expiresAt - this.options.marginMs <= this.options.now() &&
      !this.servingStale.has(cached);
    const minted = await this.tokens.fetch(key, { context: mint, forceRefresh });
    // fetch() resolves undefined only when a fetch was aborted without a value.
    if (!minted) throw new Error('the token mint was abandoned');
    return minted.token;
  }

  /**
   * The cached token for `key` while no refresh is due (outside the margin, not a stale token
   * served after a failed mint), else undefined. The warm path of every request: it needs no
   * mint, no wait and no deadline timer, so callers can skip `get()` and its promises.
   */
  fresh(key: string): string | undefined {
    const cached = this.tokens.peek(key, { allowStale: true });
    if (
      !cached ||
      this.servingStale.has(cached) ||
      cached.expiresAt - this.options.marginMs <= this.options.now()
    ) {
      return undefined;
    }
    return cached.token;
  }

  /**
   * The cached token for `key` while it is still good for more than `staleMarginMs` (even if
   * inside the refresh margin), else undefined: what a caller may use instead of waiting for a
   * slow refresh.
   */
  usable(key: string): string | undefined {
    const cached = this.tokens.peek(key, { allowStale: true });
    if (!cached || cached.expiresAt - this.options.staleMarginMs <= this.options.now()) {
      return undefined;
    }
    return cached.token;
  }

  /** Forgets a token (the backend rejected it); the next `get` mints. */
  delete(key: string): void {
    this.tokens.delete(key);
  }

  private async mint(
    key: string,
    stale: MintedToken | undefined,
    mint: Mint,
    options: { ttl?: number },
  ): Promise<MintedToken> {
    let minted: MintedToken;
    try {
      minted = await mint();
    } catch (error) {
      const now = this.options.now();
      const usableFor = stale ? stale.expiresAt - this.options.staleMarginMs - now : 0;
      if (!stale || usableFor <= 0) throw error;
      this.options.onStaleToken(key, error, stale.expiresAt);
      this.servingStale.add(stale);
      options.ttl = Math.max(1, Math.min(this.options.staleRetryMs, usableFor));
      return stale;
    }
    const freshFor = minted.expiresAt - this.options.marginMs - this.options.now();
    options.ttl = freshFor > 0 ? freshFor : 1;
    return minted;
  }
}
