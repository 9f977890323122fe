import { SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Principal } from '../auth/principal';
import { InternalError } from '../errors';
import type { AssertionKeySet } from './key-set';

/** The claims of `x-crossgate-assertion` (docs/cloud-run.md, "The signed caller assertion"). */
export interface AssertionClaims {
  /** The gateway's issuer URL. */
  iss: string;
  /** The Cloud Run service URL: the same audience as the Google ID token. */
  aud: string;
  iat: number;
  exp: number;
  /** `<issuer name>|<subject>`: unique across trusted issuers. */
  sub: string;
  username?: string;
  email?: string;
  groups: string[];
  scopes: string[];
  kind: Principal['kind'];
  /** The config name of the issuer that verified the caller (the `x-crossgate-issuer` value). */
  issuer: string;
}

export interface AssertionSignerOptions {
  /** `iss` of every assertion: the gateway's own URL, the base of its JWKS route. */
  issuerUrl: string;
  /** Lifetime of one assertion. Default 300 s, as IAP; keep it under the retirement window. */
  lifetimeSeconds?: number;
  /**
   * The current key set, e.g. `() => secrets.getJson(id, assertionKeySetParser(id))`: the
   * SecretCache keeps it per container and re-reads it on rotation.
   */
  keySet: () => Promise<AssertionKeySet>;
  /** Distinct principal+audience pairs kept per container. Default 1000. */
  maxCachedAssertions?: number;
  now?: () => number;
  /** Told of every signature made (the benchmark and tests count them); nothing by default. */
  onSign?: () => void;
}

const defaults = {
  lifetimeSeconds: 300,
  maxCachedAssertions: 1000,
  now: Date.now,
  onSign: () => {},
};

interface CachedAssertion {
  token: string;
  issuedAtMs: number;
}

interface SignContext {
  claims: Omit<AssertionClaims, 'iat' | 'exp'>;
  keySet: AssertionKeySet;
}

/**
 * Signs the caller assertion a Cloud Run backend verifies (ES256, `kid` in the header), the
 * way IAP signs `x-goog-iap-jwt-assertion`.
 *
 * An assertion is about identity, not one request: for the same claims and audience it is
 * reused while more than half of its lifetime is left, so a returning caller costs no
 * signature. Concurrent first requests share one signature (lru-cache's fetch is single-flight).
 *
 * @example
 *   const signer = new AssertionSigner({
 *     issuerUrl: 'https://gateway.example.com',
 *     keySet: () => secrets.getJson(keySecretId, assertionKeySetParser(keySecretId)),
 *   });
 *   headers['x-crossgate-assertion'] = await signer.assertionFor(principal, service.audience);
 */
export class AssertionSigner {
  private readonly options: Required<AssertionSignerOptions>;
  private readonly cache: LRUCache<string, CachedAssertion, SignContext>;

  constructor(options: AssertionSignerOptions) {
    this.options = { ...defaults, ...options };
    if (!Number.isInteger(this.options.lifetimeSeconds) || this.options.lifetimeSeconds < 2) {
      throw new RangeError('lifetimeSeconds must be an integer of at least 2');
    }
    this.cache = new LRUCache<string, CachedAssertion, SignContext>({
      max: this.options.maxCachedAssertions,
      fetchMethod: (_key, _stale, { context }) => this.sign(context),
    });
  }

  /** The assertion for this caller and service audience (a compact JWS). */
  async assertionFor(principal: Principal, audience: string): Promise<string> {
    const keySet = await this.options.keySet();
    const claims = this.claimsFor(principal, audience);
    // Everything that goes into the token is in the key, and so is the signing kid: a changed
    // group list or a promoted key gives a new assertion at once.
    const key = JSON.stringify([keySet.current.kid, claims]);
    const cached = this.cache.get(key);
    if (cached && this.moreThanHalfLeft(cached)) return cached.token;
    const fresh = await this.cache.fetch(key, { forceRefresh: true, context: { claims, keySet } });
    // lru-cache resolves undefined only for an aborted fetch, which this cache never does.
    if (!fresh) throw new InternalError('caller assertion could not be signed');
    return fresh.token;
  }

  private moreThanHalfLeft(cached: CachedAssertion): boolean {
    const age = this.options.now() - cached.issuedAtMs;
    // `age >= 0` guards against a clock stepping back: never serve a token "from the future".
    return age >= 0 && age < (this.options.lifetimeSeconds * 1000) / 2;
  }

  private claimsFor(principal: Principal, audience: string): SignContext['claims'] {
    return {
      iss: this.options.issuerUrl,
      aud: audience,
      sub: `${principal.issuerName}|${principal.subject}`,
      ...(principal.username ? { username: principal.username } : {}),
      ...(principal.email ? { email: principal.email } : {}),
      groups: [...principal.groups],
      scopes: [...principal.scopes],
      kind: principal.kind,
      issuer: principal.issuerName,
    };
  }

  private async sign({ claims, keySet }: SignContext): Promise<CachedAssertion> {
    const issuedAtMs = this.options.now();
    const iat = Math.floor(issuedAtMs / 1000);
    const { iss, aud, sub, ...rest } = claims;
    const token = await new SignJWT(rest)
      .setProtectedHeader({ alg: 'ES256', kid: keySet.current.kid, typ: 'JWT' })
      .setIssuer(iss)
      .setAudience(aud)
      .setSubject(sub)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.options.lifetimeSeconds)
      .sign(keySet.current.privateKey);
    this.options.onSign();
    // Reuse is measured from `iat` (whole seconds), the time a verifier sees.
    return { token, issuedAtMs: iat * 1000 };
  }
}
