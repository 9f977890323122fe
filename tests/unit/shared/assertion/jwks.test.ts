import { describe, expect, it } from 'vitest';
import {
  jwksResponseHeaders,
  publicJwks,
  retirementWindowSeconds,
} from '../../../../shared/assertion/jwks';
import {
  addNextKey,
  initKeySet,
  promoteNextKey,
  pruneRetiredKeys,
} from '../../../../shared/assertion/key-rotation';
import { parseAssertionKeySet } from '../../../../shared/assertion/key-set';
import { ConfigurationError } from '../../../../shared/errors';

const T0 = Date.parse('2026-12-02T10:00:00Z');
const MINUTE = 60_000;

const kids = (document: unknown, at: number, retiredPublishSeconds?: number) =>
  publicJwks(parseAssertionKeySet(document), {
    now: () => at,
    ...(retiredPublishSeconds === undefined ? {} : { retiredPublishSeconds }),
  }).keys.map((key) => key.kid);

describe('publicJwks and the rotation windows', () => {
  it('happy flow: public members only, marked ES256 / sig', async () => {
    const document = await initKeySet({ now: () => T0 });
    const { keys } = publicJwks(parseAssertionKeySet(document), { now: () => T0 });
    expect(keys).toEqual([
      {
        kty: 'EC',
        crv: 'P-256',
        alg: 'ES256',
        use: 'sig',
        kid: document.current.jwk.kid,
        x: document.current.jwk.x,
        y: document.current.jwk.y,
      },
    ]);
    expect(JSON.stringify(keys)).not.toContain(document.current.jwk.d);
  });

  it('happy flow: a full rotation keeps every signing key published across its whole life', async () => {
    const v1 = await initKeySet({ now: () => T0 });
    const oldKid = v1.current.jwk.kid;
    // 1. next added: published at once, before it signs.
    const v2 = await addNextKey(v1, { now: () => T0 + MINUTE });
    const nextKid = v2.next!.jwk.kid;
    expect(kids(v2, T0 + MINUTE)).toEqual([oldKid, nextKid]);
    expect(parseAssertionKeySet(v2).current.kid).toBe(oldKid);
    // 2. promote too early: refused, backends may not have fetched the next key yet.
    expect(() => promoteNextKey(v2, { now: () => T0 + 2 * MINUTE })).toThrow(ConfigurationError);
    // 3. promote after the publish delay: next signs, old is retired but still published.
    const promotedAt = T0 + MINUTE + 900_000;
    const v3 = promoteNextKey(v2, { now: () => promotedAt });
    expect(parseAssertionKeySet(v3).current.kid).toBe(nextKid);
    expect(JSON.stringify(v3)).not.toContain(v1.current.jwk.d);
    expect(kids(v3, promotedAt)).toEqual([nextKid, oldKid]);
    // 4. the old key stays published for the whole window, then drops out.
    expect(kids(v3, promotedAt + 3600_000 - 1)).toEqual([nextKid, oldKid]);
    expect(kids(v3, promotedAt + 3600_000)).toEqual([nextKid]);
    // 5. prune removes it from the stored set only once the window has passed.
    expect(pruneRetiredKeys(v3, { now: () => promotedAt + 60_000 }).retired).toHaveLength(1);
    expect(pruneRetiredKeys(v3, { now: () => promotedAt + 3600_000 }).retired).toEqual([]);
  });

  it('happy flow: the default publish window covers lifetime, secret TTL and stale grace', () => {
    const floor = retirementWindowSeconds({
      lifetimeSeconds: 300,
      secretTtlSeconds: 300,
      secretStaleGraceSeconds: 900,
    });
    expect(floor).toBe(1500);
    expect(floor).toBeLessThanOrEqual(3600);
  });

  it('happy flow: a shorter window set explicitly is honoured', async () => {
    const v2 = await addNextKey(await initKeySet({ now: () => T0 }), { now: () => T0 });
    const v3 = promoteNextKey(v2, { now: () => T0 + 900_000 });
    expect(kids(v3, T0 + 900_000 + 1499_000, 1500)).toHaveLength(2);
    expect(kids(v3, T0 + 900_000 + 1500_000, 1500)).toHaveLength(1);
  });

  it('error flow: a second next key, or promoting without one, is refused', async () => {
    const v1 = await initKeySet({ now: () => T0 });
    expect(() => promoteNextKey(v1)).toThrow('no next key to promote');
    const v2 = await addNextKey(v1);
    await expect(addNextKey(v2)).rejects.toThrow('already has a next key');
  });

  it('happy flow: JWKS responses are cacheable and typed', () => {
    expect(jwksResponseHeaders()).toEqual({
      'content-type': 'application/jwk-set+json',
      'cache-control': 'public, max-age=300',
    });
  });
});
