import { LRUCache } from 'lru-cache';
import type { Principal } from './principal';

export interface VerifiedTokenCacheOptions {
  /** Most tokens kept; the least recently used goes first. 0 turns the cache off. */
  maxEntries?: number;
  /** Estimated bytes kept at most (token strings and principals). 0 turns the cache off. */
  maxBytes?: number;
  /** Longest a verification is reused, even if the token lives longer. */
  maxAgeSeconds?: number;
  now?: () => number;
}

const defaults = {
  maxEntries: 1000,
  maxBytes: 4 * 1024 * 1024,
  maxAgeSeconds: 300,
  now: Date.now,
} satisfies Required<VerifiedTokenCacheOptions>;

interface Entry {
  principal: Principal;
  /** Epoch ms from which the entry is not used: min(token exp, verified + maxAge). */
  usableUntil: number;
  /** Epoch ms before which the token is not valid yet (nbf). */
  usableFrom: number;
}

/**
 * Fixed cost per entry on top of its strings: the lru-cache slots, the Entry and Principal
 * objects and their arrays. An estimate on the high side; what matters is that the bound
 * grows with what a caller sends (the token, its claims), which the string lengths cover.
 */
const ENTRY_OVERHEAD_BYTES = 320;

/**
 * Remembers tokens that passed verification, keyed by the exact token string, so a caller
 * that reuses its token (they do, for its whole lifetime) pays for one signature check, not
 * one per request. The same string cannot carry another signature, so a hit is the same
 * verdict; the token verifier refuses non-canonical strings before it looks here, so one
 * token has one entry. Only verified tokens are ever stored.
 *
 * Bounded three ways, with lru-cache: entries, estimated bytes (`maxSize` +
 * `sizeCalculation`), and age (min of the token's `exp` and `maxAgeSeconds`, so a key
 * removed from the issuer's JWKS stops being honoured within maxAgeSeconds). `nbf` is
 * re-checked on every hit.
 */
export class VerifiedTokenCache {
  private readonly cache: LRUCache<string, Entry> | undefined;
  private readonly options: Required<VerifiedTokenCacheOptions>;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.options = { ...defaults, ...options };
    const { maxEntries, maxBytes } = this.options;
    this.cache =
      maxEntries === 0 || maxBytes === 0
        ? undefined
        : new LRUCache<string, Entry>({
            max: maxEntries,
            maxSize: maxBytes,
            // The per-entry ttl comes from set(); expired entries are dropped when read.
            ttlAutopurge: false,
            // 0: read the clock on each check. lru-cache's default (1 ms) caches it with a
            // timer per read, which costs more than the read. lru-cache keeps its own
            // (monotonic) clock: its ttl only frees memory, and `get` below decides with the
            // injected one. Handing it `now` as `perf` made every set 1.2 µs slower (issue 16).
            ttlResolution: 0,
            sizeCalculation: (entry, token) => entrySize(token, entry.principal),
          });
  }

  get(token: string): Principal | undefined {
    const entry = this.cache?.get(token);
    if (!entry) return undefined;
    const now = this.options.now();
    if (now >= entry.usableUntil) {
      // lru-cache's ttl is what frees the memory; this keeps expiry exact to the ms.
      this.cache?.delete(token);
      return undefined;
    }
    if (now < entry.usableFrom) return undefined;
    return entry.principal;
  }

  set(token: string, principal: Principal, claims: { exp?: unknown; nbf?: unknown }): void {
    if (!this.cache || typeof claims.exp !== 'number') return;
    const now = this.options.now();
    const ttl = Math.min(claims.exp * 1000 - now, this.options.maxAgeSeconds * 1000);
    if (!(ttl > 0)) return;
    const usableFrom = typeof claims.nbf === 'number' ? claims.nbf * 1000 : 0;
    // Shared by every request that presents this token: nobody may change it.
    Object.freeze(principal.groups);
    Object.freeze(principal.scopes);
    this.cache.set(
      token,
      { principal: Object.freeze(principal), usableUntil: now + ttl, usableFrom },
      { ttl },
    );
  }

  get size(): number {
    return this.cache?.size ?? 0;
  }

  /** Estimated bytes held (what `maxBytes` bounds). */
  get bytes(): number {
    return this.cache?.calculatedSize ?? 0;
  }
}

/** Bytes of one entry: its strings at 2 bytes per character (worst case) plus the overhead. */
function entrySize(token: string, principal: Principal): number {
  let characters = token.length;
  for (const value of [
    principal.subject,
    principal.username,
    principal.email,
    principal.issuer,
    principal.issuerName,
    principal.clientId,
  ]) {
    characters += value?.length ?? 0;
  }
  for (const value of principal.groups) characters += value.length + 8;
  for (const value of principal.scopes) characters += value.length + 8;
  return ENTRY_OVERHEAD_BYTES + 2 * characters;
}
