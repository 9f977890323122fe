import { describe, expect, it } from 'vitest';
import { TokenCache, type MintedToken } from '../../../../shared/gcp/token-cache';

describe('TokenCache', () => {
  it('happy flow: concurrent requests for one key share one mint', async () => {
    let now = 0;
    const cache = new TokenCache({ marginMs: 300_000, now: () => now });
    let mints = 0;
    let release: (token: MintedToken) => void = () => {};
    const mint = () => {
      mints += 1;
      return new Promise<MintedToken>((resolve) => (release = resolve));
    };
    const pending = Array.from({ length: 20 }, () => cache.get('id a', mint));
    release({ token: 't1', expiresAt: 3_600_000 });
    expect(await Promise.all(pending)).toEqual(Array(20).fill('t1'));
    expect(mints).toBe(1);

    // Cached until the margin before expiry, then minted again.
    now = 3_600_000 - 300_001;
    expect(await cache.get('id a', async () => ({ token: 't2', expiresAt: 7_200_000 }))).toBe('t1');
    now = 3_600_000 - 300_000;
    expect(await cache.get('id a', async () => ({ token: 't2', expiresAt: 7_200_000 }))).toBe('t2');
  });

  it("happy flow: keys are separate (one audience never gets another audience's token)", async () => {
    const cache = new TokenCache({ marginMs: 0, now: () => 0 });
    await cache.get('id a', async () => ({ token: 'ta', expiresAt: 10 }));
    expect(await cache.get('id b', async () => ({ token: 'tb', expiresAt: 10 }))).toBe('tb');
    expect(await cache.get('id a', async () => ({ token: 'x', expiresAt: 10 }))).toBe('ta');
  });

  it('error flow: a failed mint is not cached and the next request mints again', async () => {
    const cache = new TokenCache({ marginMs: 0, now: () => 0 });
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => ({ token: 'ok', expiresAt: 10 }))).toBe('ok');
  });

  it('happy flow: a token already inside the margin is used once, not kept; delete() forgets', async () => {
    const cache = new TokenCache({ marginMs: 100, now: () => 0 });
    expect(await cache.get('k', async () => ({ token: 'short', expiresAt: 50 }))).toBe('short');
    expect(await cache.get('k', async () => ({ token: 'long', expiresAt: 1000 }))).toBe('long');
    cache.delete('k');
    expect(await cache.get('k', async () => ({ token: 'again', expiresAt: 1000 }))).toBe('again');
  });

  it('error flow: a failed refresh serves the cached token until staleMarginMs before its expiry, and says so', async () => {
    let now = 0;
    const warnings: string[] = [];
    const cache = new TokenCache({
      marginMs: 300_000,
      staleMarginMs: 30_000,
      staleRetryMs: 5_000,
      now: () => now,
      onStaleToken: (key) => warnings.push(key),
    });
    await cache.get('id a', async () => ({ token: 't1', expiresAt: 3_600_000 }));
    let attempts = 0;
    const failing = async (): Promise<MintedToken> => {
      attempts += 1;
      throw new Error('Google is down');
    };
    // Inside the refresh margin, still valid for 299 s (issue 15): served, with a warning.
    now = 3_600_000 - 299_000;
    expect(await cache.get('id a', failing)).toBe('t1');
    expect(warnings).toEqual(['id a']);
    // Within staleRetryMs the stale token is served without another attempt.
    now += 4_000;
    expect(await cache.get('id a', failing)).toBe('t1');
    expect(attempts).toBe(1);
    // After staleRetryMs a new attempt; once it succeeds the new token replaces the old.
    now += 2_000;
    expect(await cache.get('id a', async () => ({ token: 't2', expiresAt: now + 3_600_000 }))).toBe(
      't2',
    );
  });

  it('error flow: past staleMarginMs before expiry, a failed refresh is the mint error', async () => {
    let now = 0;
    const cache = new TokenCache({ marginMs: 300_000, staleMarginMs: 30_000, now: () => now });
    await cache.get('id a', async () => ({ token: 't1', expiresAt: 3_600_000 }));
    now = 3_600_000 - 30_000;
    await expect(
      cache.get('id a', async () => {
        throw new Error('Google is down');
      }),
    ).rejects.toThrow('Google is down');
  });

  it('error flow: with nothing cached, a failed mint is the mint error and nothing is kept', async () => {
    const cache = new TokenCache({ marginMs: 0, now: () => 0 });
    await expect(
      cache.get('id a', async () => {
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(await cache.get('id a', async () => ({ token: 'ok', expiresAt: 10 }))).toBe('ok');
  });

  it('happy flow: fresh() is the cached token while no refresh is due, never a stale or margin one', async () => {
    let now = 0;
    const cache = new TokenCache({
      marginMs: 300_000,
      staleMarginMs: 30_000,
      staleRetryMs: 5_000,
      now: () => now,
    });
    expect(cache.fresh('id a')).toBeUndefined();
    await cache.get('id a', async () => ({ token: 't1', expiresAt: 3_600_000 }));
    expect(cache.fresh('id a')).toBe('t1');
    expect(cache.fresh('id b')).toBeUndefined();
    // Inside the margin: a refresh is due, so the caller must go through get().
    now = 3_600_000 - 300_000;
    expect(cache.fresh('id a')).toBeUndefined();
    // A stale token served after a failed refresh is get()'s to serve, not fresh()'s.
    await cache.get('id a', () => Promise.reject(new Error('Google is down')));
    expect(cache.fresh('id a')).toBeUndefined();
    expect(await cache.get('id a', async () => ({ token: 't2', expiresAt: 0 }))).toBe('t1');
    expect(cache.fresh('id a')).toBeUndefined();
    now += 5_001;
    expect(await cache.get('id a', async () => ({ token: 't3', expiresAt: now + 3_600_000 }))).toBe(
      't3',
    );
    expect(cache.fresh('id a')).toBe('t3');
    cache.delete('id a');
    expect(cache.fresh('id a')).toBeUndefined();
  });
});
