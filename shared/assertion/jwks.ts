import { publicPart, type AssertionKeySet, type PublicEcJwk } from './key-set';

export interface PublicJwksOptions {
  /**
   * How long a retired key stays published after `retiredAt`. It must cover everything that can
   * still carry its signature: the longest assertion lifetime, plus the time a warm container
   * may keep signing with it before its secret cache sees the promotion (Secrets Manager TTL
   * and stale grace). `retirementWindowSeconds()` computes that floor. Default: 1 hour.
   */
  retiredPublishSeconds?: number;
  now?: () => number;
}

const defaults = {
  retiredPublishSeconds: 3600,
  now: Date.now,
};

/** A standard JWK set (RFC 7517 §5), public members only. */
export interface PublicJwks {
  keys: PublicEcJwk[];
}

/**
 * The document for `GET /.well-known/jwks.json`: current, next (published before it signs
 * anything) and retired keys still inside their publish window. Private members never leave:
 * each key is rebuilt from its public members.
 *
 * @example
 *   // GET /.well-known/jwks.json, no auth (shared/http/responses.ts):
 *   const keySet = await secrets.getJson(secretId, assertionKeySetParser(secretId));
 *   return jsonResponse(200, publicJwks(keySet), jwksResponseHeaders());
 */
export function publicJwks(keySet: AssertionKeySet, options: PublicJwksOptions = {}): PublicJwks {
  const { retiredPublishSeconds, now } = { ...defaults, ...options };
  const at = now();
  const retired = keySet.retired.filter(
    (key) => key.retiredAt.getTime() + retiredPublishSeconds * 1000 > at,
  );
  return {
    keys: [
      keySet.current.publicJwk,
      ...(keySet.next ? [keySet.next.publicJwk] : []),
      ...retired.map((key) => key.publicJwk),
    ].map(publicPart),
  };
}

/**
 * Response headers of the JWKS route. Backends cache the set for `maxAgeSeconds`, so a next
 * key must be published at least that long (plus the secret cache TTL) before it is promoted.
 */
export function jwksResponseHeaders(maxAgeSeconds = 300): Record<string, string> {
  return {
    'content-type': 'application/jwk-set+json',
    'cache-control': `public, max-age=${maxAgeSeconds}`,
  };
}

/**
 * The shortest safe publish window of a retired key: a container may sign with the old key
 * until its secret cache refreshes (TTL, or TTL + stale grace when Secrets Manager fails), and
 * the last such assertion lives `lifetimeSeconds` more.
 */
export function retirementWindowSeconds(options: {
  lifetimeSeconds: number;
  secretTtlSeconds: number;
  secretStaleGraceSeconds: number;
}): number {
  return options.lifetimeSeconds + options.secretTtlSeconds + options.secretStaleGraceSeconds;
}
