import { LRUCache } from 'lru-cache';
import type { Principal } from './principal';
import { TokenDoorkeeper } from './token-doorkeeper';

export interface VerifiedTokenCacheOptions {
  /** Most tokens kept; the least recently used goes first. 0 turns the cache off. */
  maxEntries?: number;
  /** Estimated bytes kept at most (token strings and principals). 0 turns the cache off. */
  maxBytes?: number;
  /** Longest a verification is reused, even if the token lives longer. */
  maxAgeSeconds?: number;
  /**
   * Slots of the doorkeeper (token-doorkeeper.ts) that stores a token on its second
   * verification; 0 stores it on its first.
   */
  doorkeeperSlots?: number;
  now?: () => number;
}

const defaults = {
  maxEntries: 1000,
  maxBytes: 4 * 1024 * 1024,
  maxAgeSeconds: 300,
  doorkeeperSlots: 4096,
  now: Date.now,
} satisfies Required<VerifiedTokenCacheOptions>;

interface Entry {
  /** The whole token: the cache's key is only its end. */
  token: string;
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
 * Characters of the token's end that key the cache: its signature's last 192 bits, which
 * differ for every signed token. The whole token is compared on every hit, so the key only
 * needs to be short: each request brings its token as a new string, and a Map hashes a new
 * string's every character (1.5 µs for a 1 KB token, against 0.15 µs for this key and the
 * compare; issue 16).
 */
const KEY_CHARACTERS = 32;

const keyOf = (token: string): string => token.slice(-KEY_CHARACTERS);

/**
 * True for a principal this cache stored, and so hands to every request with its token: the
 * same object each time (what /me keeps its answer by). Stored principals are frozen, and
 * nothing else freezes a principal.
 */
export function isRememberedPrincipal(principal: Principal): boolean {
  return Object.isFrozen(principal);
}

/**
 * Remembers tokens that passed verification, so a caller that reuses its token (they do, for
 * its whole lifetime) pays for two signature checks, not one per request: a token is stored
 * on its second verification, so one-shot tokens leave nothing behind (token-doorkeeper.ts).
 * A hit is the exact token string (the key is its end, and the whole string is compared);
 * the same string cannot carry another signature, so a hit is the same verdict. The token
 * verifier refuses non-canonical strings before it looks here, so one token has one entry.
 * Only verified tokens are ever stored; two of them ending alike would share one slot, the
 * later replacing the earlier, which is then verified again.
 *
 * Bounded three ways, with lru-cache: entries, estimated bytes (`maxSize` +
 * `sizeCalculation`), and age (min of the token's `exp` and `maxAgeSeconds`, so a key
 * removed from the issuer's JWKS stops being honoured within maxAgeSeconds). `nbf` is
 * re-checked on every hit.
 */
export class VerifiedTokenCache {
  private readonly cache: LRUCache<string, Entry> | undefined;
  private readonly doorkeeper: TokenDoorkeeper | undefined;
  private readonly options: Required<VerifiedTokenCacheOptions>;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.options = { ...defaults, ...options };
    const { maxEntries, maxBytes, doorkeeperSlots } = this.options;
    this.doorkeeper = doorkeeperSlots > 0 ? new TokenDoorkeeper(doorkeeperSlots) : undefined;
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
            sizeCalculation: (entry) => entrySize(entry.token, entry.principal),
          });
  }

  get(token: string): Principal | undefined {
    const entry = this.cache?.get(keyOf(token));
    if (entry?.token !== token) return undefined;
    const now = this.options.now();
    if (now >= entry.usableUntil) {
      // lru-cache's ttl is what frees the memory; this keeps expiry exact to the ms.
      this.cache?.delete(keyOf(token));
      return undefined;
    }
    if (now < entry.usableFrom) return undefined;
    return entry.principal;
  }

  /**
   * Offers a token that passed verification. It is stored on its second verification (see
   * token-doorkeeper.ts), or its first with `doorkeeperSlots: 0`.
   */
  set(token: string, principal: Principal, claims: { exp?: unknown; nbf?: unknown }): void {
    if (!this.cache || typeof claims.exp !== 'number') return;
    if (this.doorkeeper && !this.doorkeeper.admit(token)) return;
    const now = this.options.now();
    const ttl = Math.min(claims.exp * 1000 - now, this.options.maxAgeSeconds * 1000);
    if (!(ttl > 0)) return;
    const usableFrom = typeof claims.nbf === 'number' ? claims.nbf * 1000 : 0;
    // Shared by every request that presents this token: nobody may change it.
    Object.freeze(principal.groups);
    Object.freeze(principal.scopes);
    this.cache.set(
      keyOf(token),
      { token, principal: Object.freeze(principal), usableUntil: now + ttl, usableFrom },
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
