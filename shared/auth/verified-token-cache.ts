import type { Principal } from './principal';

export interface VerifiedTokenCacheOptions {
  /** Most tokens kept; the least recently used goes first. 0 turns the cache off. */
  maxEntries?: number;
  /** Longest a verification is reused, even if the token lives longer. */
  maxAgeSeconds?: number;
  now?: () => number;
}

interface Entry {
  principal: Principal;
  /** Epoch ms after which the entry is not used: min(token exp, verified + maxAge). */
  usableUntil: number;
  /** Epoch ms before which the token is not valid yet (nbf). */
  usableFrom: number;
}

/**
 * Remembers tokens that passed verification, keyed by the exact token string, so a caller
 * that reuses its token (they do, for its whole lifetime) pays for one signature check, not
 * one per request. The same string cannot carry another signature, so a hit is the same
 * verdict; time-based claims are re-checked on every hit. Bounded in size and in age, so a
 * key removed from the issuer's JWKS stops being honoured within maxAgeSeconds.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxAgeMs = (options.maxAgeSeconds ?? 300) * 1000;
    this.now = options.now ?? Date.now;
  }

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    const now = this.now();
    if (now >= entry.usableUntil || now < entry.usableFrom) {
      this.entries.delete(token);
      return undefined;
    }
    // Re-insert: Map keeps insertion order, so the first key is the least recently used.
    this.entries.delete(token);
    this.entries.set(token, entry);
    return entry.principal;
  }

  set(token: string, principal: Principal, claims: { exp?: unknown; nbf?: unknown }): void {
    if (this.maxEntries === 0 || typeof claims.exp !== 'number') return;
    const usableUntil = Math.min(claims.exp * 1000, this.now() + this.maxAgeMs);
    const usableFrom = typeof claims.nbf === 'number' ? claims.nbf * 1000 : 0;
    // Shared by every request that presents this token: nobody may change it.
    Object.freeze(principal.groups);
    Object.freeze(principal.scopes);
    this.entries.set(token, { principal: Object.freeze(principal), usableUntil, usableFrom });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
