import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../shared/auth/principal';
import {
  isRememberedPrincipal,
  VerifiedTokenCache,
} from '../../../../shared/auth/verified-token-cache';

const principal = (subject: string): Principal => ({
  subject,
  groups: ['g'],
  scopes: [],
  issuer: 'https://issuer',
  issuerName: 'test',
  kind: 'person',
});

function clock(start = 1_000_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Most behaviours are those of a stored token: without the doorkeeper, the first set stores. */
const storedOnFirstUse = (options: ConstructorParameters<typeof VerifiedTokenCache>[0] = {}) =>
  new VerifiedTokenCache({ doorkeeperSlots: 0, ...options });

/** A token-shaped string ending in a signature of its own (the cache keys on the end). */
const signedToken = (signature: string) => `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.${signature}`;

describe('VerifiedTokenCache', () => {
  it('happy flow: returns the principal of a remembered token until it expires', () => {
    const time = clock();
    const cache = storedOnFirstUse({ now: time.now });
    cache.set('t1', principal('a'), { exp: time.now() / 1000 + 60 });
    expect(cache.get('t1')?.subject).toBe('a');
    time.advance(60_000);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never reuses a verification longer than maxAgeSeconds', () => {
    const time = clock();
    const cache = storedOnFirstUse({ now: time.now, maxAgeSeconds: 10 });
    cache.set('t1', principal('a'), { exp: time.now() / 1000 + 3600 });
    time.advance(9_999);
    expect(cache.get('t1')).toBeDefined();
    time.advance(1);
    expect(cache.get('t1')).toBeUndefined();
  });

  it('does not serve a token before its nbf', () => {
    const time = clock();
    const cache = storedOnFirstUse({ now: time.now });
    cache.set('t1', principal('a'), { exp: time.now() / 1000 + 60, nbf: time.now() / 1000 + 5 });
    expect(cache.get('t1')).toBeUndefined();
  });

  it('evicts the least recently used token beyond maxEntries', () => {
    const time = clock();
    const cache = storedOnFirstUse({ now: time.now, maxEntries: 2 });
    const exp = time.now() / 1000 + 60;
    cache.set('t1', principal('a'), { exp });
    cache.set('t2', principal('b'), { exp });
    cache.get('t1');
    cache.set('t3', principal('c'), { exp });
    expect(cache.get('t2')).toBeUndefined();
    expect(cache.get('t1')?.subject).toBe('a');
    expect(cache.get('t3')?.subject).toBe('c');
  });

  it('keeps nothing when off, or for a token without exp', () => {
    const off = new VerifiedTokenCache({ maxEntries: 0 });
    off.set('t1', principal('a'), { exp: Date.now() / 1000 + 60 });
    expect(off.get('t1')).toBeUndefined();
    const on = new VerifiedTokenCache();
    on.set('t2', principal('b'), {});
    expect(on.get('t2')).toBeUndefined();
  });

  it('hands out a frozen principal so that no request can alter another one', () => {
    const cache = storedOnFirstUse();
    cache.set('t1', principal('a'), { exp: Date.now() / 1000 + 60 });
    const cached = cache.get('t1')!;
    expect(() => (cached.groups as string[]).push('admins')).toThrow();
    expect(Object.isFrozen(cached)).toBe(true);
  });

  it('tells a principal it handed out from one a single verification made (what /me keeps)', () => {
    const cache = storedOnFirstUse();
    const oneShot = principal('a');
    expect(isRememberedPrincipal(oneShot)).toBe(false);
    cache.set('t1', oneShot, { exp: Date.now() / 1000 + 60 });
    expect(isRememberedPrincipal(cache.get('t1')!)).toBe(true);
    // Offered but not stored (the doorkeeper's first sight): still one request's own.
    const doorkept = new VerifiedTokenCache();
    const first = principal('b');
    doorkept.set('t2', first, { exp: Date.now() / 1000 + 60 });
    expect(isRememberedPrincipal(first)).toBe(false);
  });

  it('bounds its memory in bytes: large tokens evict older ones before maxEntries is reached', () => {
    const time = clock();
    const cache = storedOnFirstUse({ now: time.now, maxEntries: 1000, maxBytes: 64 * 1024 });
    const exp = time.now() / 1000 + 60;
    for (let index = 0; index < 100; index += 1) {
      cache.set(`${'x'.repeat(8000)}${index}`, principal(`s${index}`), { exp });
    }
    expect(cache.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(cache.size).toBeLessThan(10);
    expect(cache.size).toBeGreaterThan(0);
    // The newest stays, the oldest went.
    expect(cache.get(`${'x'.repeat(8000)}99`)?.subject).toBe('s99');
    expect(cache.get(`${'x'.repeat(8000)}0`)).toBeUndefined();
  });

  it('error flow: an entry larger than the whole budget is not kept', () => {
    const cache = storedOnFirstUse({ maxBytes: 1024 });
    cache.set('y'.repeat(4096), principal('big'), { exp: Date.now() / 1000 + 60 });
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('error flow: a token already past exp is not kept', () => {
    const time = clock();
    const cache = storedOnFirstUse({ now: time.now });
    cache.set('t1', principal('a'), { exp: time.now() / 1000 - 1 });
    expect(cache.size).toBe(0);
  });

  it('stores a token on its second verification, so one-shot tokens leave nothing behind', () => {
    const time = clock();
    const cache = new VerifiedTokenCache({ now: time.now });
    const exp = time.now() / 1000 + 60;
    for (let index = 0; index < 500; index += 1) {
      cache.set(signedToken(`${'s'.repeat(40)}-one-shot-${index}`), principal('x'), {
        exp,
      });
    }
    expect(cache.size).toBe(0);
    const reused = signedToken(`reused-signature-${'r'.repeat(40)}`);
    cache.set(reused, principal('a'), { exp });
    expect(cache.get(reused)).toBeUndefined();
    cache.set(reused, principal('a'), { exp });
    expect(cache.get(reused)?.subject).toBe('a');
    expect(cache.size).toBe(1);
  });

  it('error flow: a string that only ends like a remembered token is not a hit', () => {
    const cache = storedOnFirstUse();
    const signature = 'S'.repeat(342);
    const token = signedToken(signature);
    cache.set(token, principal('a'), { exp: Date.now() / 1000 + 60 });
    expect(cache.get(token)?.subject).toBe('a');
    // Same end (the cache's key), other header and payload: a miss, and the entry stays.
    expect(cache.get(`eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.${signature}`)).toBeUndefined();
    expect(cache.get(token.slice(1))).toBeUndefined();
    expect(cache.get(token)?.subject).toBe('a');
  });

  it('two verified tokens ending alike share one slot: the later replaces the earlier', () => {
    const cache = storedOnFirstUse();
    const exp = Date.now() / 1000 + 60;
    const first = `a.b.${'E'.repeat(64)}`;
    const second = `c.d.${'E'.repeat(64)}`;
    cache.set(first, principal('first'), { exp });
    cache.set(second, principal('second'), { exp });
    expect(cache.get(first)).toBeUndefined();
    expect(cache.get(second)?.subject).toBe('second');
  });
});
