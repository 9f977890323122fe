import { assertIsJwks, type Jwks } from 'aws-jwt-verify/jwk';
import type { Json } from 'aws-jwt-verify/safe-json-parse';
import type { IssuerConfig } from '../config/issuers-schema';
import bundledDocument from './embedded-jwks.json' with { type: 'json' };

/**
 * The JWKS of each trusted issuer, fetched when the artifact was packaged
 * (`embedded-jwks-fetch.ts`, run by deploy/embedded-jwks-plugin.mjs) and bundled with it, so
 * a cold container verifies its first token without a JWKS fetch. Issue 15: 50 concurrent
 * first requests on 2 cores timed their JWKS fetches out at 3 s and answered 22 x 503.
 *
 * The repository's copy is empty (`issuers: {}`): offline and in tests the verifier fetches
 * JWKS as before, unless a benchmark writes the local stack's keys here for one run.
 */
export interface EmbeddedJwksDocument {
  /** When the keys were fetched (ISO 8601), null when nothing is embedded. */
  fetchedAt: string | null;
  /** JWKS per issuer, by the issuer's `name` in config. */
  issuers: Record<string, Jwks>;
}

export interface CacheEmbeddedJwksOptions {
  /**
   * Embedded keys older than this are not used: a key the issuer has since withdrawn should
   * not stay trusted for the life of an old artifact. The JWKS cache itself keeps a fetched
   * set until a kid misses, so a week adds little to what a long-lived container already does.
   */
  maxAgeSeconds?: number;
  now?: () => number;
}

const defaults = { maxAgeSeconds: 7 * 24 * 3600, now: Date.now };

/** What the verifier offers for this: aws-jwt-verify's `cacheJwks(jwks, issuer)`. */
export interface JwksCachingVerifier {
  cacheJwks: (jwks: Jwks, issuer: string) => void;
}

/**
 * Checks an embedded document: each entry must be a JWKS (aws-jwt-verify's own check). A bad
 * document is a packaging bug, so it fails the container's init with a message, not requests.
 */
export function parseEmbeddedJwks(raw: unknown): EmbeddedJwksDocument {
  if (typeof raw !== 'object' || raw === null) {
    throw new Error('embedded JWKS: the document is not an object');
  }
  const { fetchedAt, issuers } = raw as Record<string, unknown>;
  if (
    fetchedAt !== null &&
    (typeof fetchedAt !== 'string' || Number.isNaN(Date.parse(fetchedAt)))
  ) {
    throw new Error('embedded JWKS: fetchedAt is not a date');
  }
  if (typeof issuers !== 'object' || issuers === null || Array.isArray(issuers)) {
    throw new Error('embedded JWKS: issuers is not an object');
  }
  const checked: Record<string, Jwks> = {};
  for (const [name, jwks] of Object.entries(issuers)) {
    try {
      assertIsJwks(jwks as Json);
    } catch (error) {
      throw new Error(`embedded JWKS: issuers.${name} is not a JWKS`, { cause: error });
    }
    checked[name] = jwks;
  }
  return { fetchedAt, issuers: checked };
}

/** The document bundled with this artifact. */
export const bundledEmbeddedJwks: EmbeddedJwksDocument = parseEmbeddedJwks(bundledDocument);

/**
 * Puts each issuer's embedded JWKS into the verifier's cache with `cacheJwks`, once per `iss`
 * the issuer is known by (a Cognito pool has two). A token whose kid is not in the embedded set
 * still makes the cache fetch the JWKS, through the penalty box, as without embedding.
 *
 * @example
 *   cacheEmbeddedJwks(verifier, issuersByIss, bundledEmbeddedJwks); // ['cognito', 'machines']
 * @returns the names of the issuers whose keys were cached
 */
export function cacheEmbeddedJwks(
  verifier: JwksCachingVerifier,
  issuersByIss: ReadonlyMap<string, Pick<IssuerConfig, 'name'>>,
  document: EmbeddedJwksDocument,
  options: CacheEmbeddedJwksOptions = {},
): string[] {
  const { maxAgeSeconds, now } = { ...defaults, ...options };
  if (document.fetchedAt === null) return [];
  const ageSeconds = (now() - Date.parse(document.fetchedAt)) / 1000;
  if (ageSeconds > maxAgeSeconds) return [];
  const cached = new Set<string>();
  for (const [iss, issuer] of issuersByIss) {
    const jwks = document.issuers[issuer.name];
    if (!jwks) continue;
    verifier.cacheJwks(jwks, iss);
    cached.add(issuer.name);
  }
  return [...cached];
}
