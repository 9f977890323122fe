import { createECDH, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import * as z from 'zod/mini';
import { ConfigurationError } from '../errors';

/**
 * The caller-assertion key set, as stored in Secrets Manager (one JSON secret):
 *
 *   {
 *     "current": { "addedAt": "2026-12-01T10:00:00Z", "jwk": { private ES256 JWK } },
 *     "next":    { "addedAt": "2026-12-02T10:00:00Z", "jwk": { private ES256 JWK } },   (optional)
 *     "retired": [ { "retiredAt": "2026-12-01T10:00:00Z", "jwk": { public ES256 JWK } } ]  (optional)
 *   }
 *
 * A private JWK is `{kty:"EC", crv:"P-256", alg:"ES256", use:"sig", kid, x, y, d}`; a retired
 * one has no `d` (its private half is destroyed when it stops signing). `kid` is the RFC 7638
 * thumbprint when `npm run keys` makes it, but any unique non-empty string is accepted.
 *
 * Rotation (the order IAP and Pomerium follow): `next` is published in the JWKS from the moment
 * it is added and signs nothing; `promote` makes it `current` and moves the old current to
 * `retired` with `retiredAt`, where the JWKS keeps publishing it for a window longer than any
 * assertion it signed can live. See docs/cloud-run.md, "Rotating the assertion key".
 */

// zod/mini: the same validators as zod (one core, the same issue codes) at a fifth of the
// bundle, since this runs in the run and jwks functions, whose cold start it is part of.
const base64url = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'base64url'));
const kid = z.string().check(z.minLength(1), z.maxLength(128));

const publicJwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  alg: z.optional(z.literal('ES256')),
  use: z.optional(z.literal('sig')),
  kid,
  x: base64url,
  y: base64url,
});

const privateJwkSchema = z.extend(publicJwkSchema, { d: base64url });
const instant = z.iso.datetime({ offset: true });

export const assertionKeySetSchema = z.strictObject({
  current: z.strictObject({ addedAt: instant, jwk: privateJwkSchema }),
  next: z.optional(z.strictObject({ addedAt: instant, jwk: privateJwkSchema })),
  retired: z._default(
    z.array(
      z.strictObject({
        retiredAt: instant,
        // A retired key must not carry its private half any more.
        jwk: publicJwkSchema.check(
          z.refine((jwk) => !('d' in jwk), 'a retired key holds no private part'),
        ),
      }),
    ),
    [],
  ),
});

/** The secret's JSON as stored (what `npm run keys` prints). */
export type AssertionKeySetDocument = z.input<typeof assertionKeySetSchema>;
export type PublicEcJwk = z.infer<typeof publicJwkSchema>;
export type PrivateEcJwk = z.infer<typeof privateJwkSchema>;

export interface SigningKey {
  kid: string;
  addedAt: Date;
  /** Imported once per secret version (SecretCache keeps the parsed value per version). */
  privateKey: KeyObject;
  publicJwk: PublicEcJwk;
}

export interface RetiredKey {
  kid: string;
  retiredAt: Date;
  publicJwk: PublicEcJwk;
}

/** A validated key set: the key that signs, the one published ahead of signing, the retired. */
export interface AssertionKeySet {
  current: SigningKey;
  next?: SigningKey;
  retired: RetiredKey[];
}

/** The public members of a JWK, in a fixed order, marked for ES256 signatures. */
export function publicPart(jwk: PublicEcJwk): PublicEcJwk {
  return { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: jwk.kid, x: jwk.x, y: jwk.y };
}

/**
 * One parser per secret id for the container's life: SecretCache keeps parsed values per
 * parser function, so a new closure per request would import the keys again every time.
 */
const parsers = new Map<string, (raw: unknown) => AssertionKeySet>();

/**
 * Parser for SecretCache.getJson. A malformed key set is a ConfigurationError naming the bad
 * keys (`current.jwk.crv`, `next.jwk.d`), never a value: `d` is the private key.
 *
 * @example
 *   const keySet = await secrets.getJson(secretId, assertionKeySetParser(secretId));
 */
export function assertionKeySetParser(secretId: string): (raw: unknown) => AssertionKeySet {
  let parser = parsers.get(secretId);
  if (!parser) {
    parser = (raw) => parseAssertionKeySet(raw, `secret ${secretId}`);
    parsers.set(secretId, parser);
  }
  return parser;
}

export function parseAssertionKeySet(
  raw: unknown,
  what = 'the assertion key set',
): AssertionKeySet {
  const result = assertionKeySetSchema.safeParse(raw);
  if (!result.success) {
    // Path and issue code only: zod messages may quote what they received.
    const keys = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'} (${issue.code})`,
    );
    throw new ConfigurationError(`${what} is not an assertion key set: ${keys.join(', ')}`);
  }
  const document = result.data;
  const current = signingKey(document.current, 'current', what);
  const next = document.next ? signingKey(document.next, 'next', what) : undefined;
  const retired = document.retired.map((entry, index) => {
    assertPublicKey(entry.jwk, `retired.${index}.jwk`, what);
    return {
      kid: entry.jwk.kid,
      retiredAt: new Date(entry.retiredAt),
      publicJwk: publicPart(entry.jwk),
    };
  });

  const kids = [current.kid, ...(next ? [next.kid] : []), ...retired.map((key) => key.kid)];
  const duplicate = kids.find((value, index) => kids.indexOf(value) !== index);
  // Two keys under one kid would make verifiers pick either: refuse the set.
  if (duplicate !== undefined) throw new ConfigurationError(`${what}: two keys share one kid`);
  return { current, ...(next ? { next } : {}), retired };
}

function signingKey(
  entry: { addedAt: string; jwk: PrivateEcJwk },
  name: 'current' | 'next',
  what: string,
): SigningKey {
  // node:crypto imports a JWK's x/y as given, without checking them against d (measured: a d
  // from one key with x/y of another imports, and signs with a key no published JWK
  // verifies). So derive the public point from d with ECDH, which also refuses a d out of range.
  let point: Buffer;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(entry.jwk.d, 'base64url'));
    point = ecdh.getPublicKey();
  } catch {
    throw new ConfigurationError(`${what}: ${name}.jwk.d is not a valid P-256 private key`);
  }
  const x = point.subarray(1, 33).toString('base64url');
  const y = point.subarray(33, 65).toString('base64url');
  if (x !== entry.jwk.x || y !== entry.jwk.y) {
    throw new ConfigurationError(`${what}: ${name}.jwk x/y do not belong to its private key d`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: { ...entry.jwk }, format: 'jwk' });
  } catch {
    throw new ConfigurationError(`${what}: ${name}.jwk is not a valid P-256 private key`);
  }
  return {
    kid: entry.jwk.kid,
    addedAt: new Date(entry.addedAt),
    privateKey,
    publicJwk: publicPart(entry.jwk),
  };
}

function assertPublicKey(jwk: PublicEcJwk, path: string, what: string): void {
  try {
    createPublicKey({ key: { ...publicPart(jwk) }, format: 'jwk' });
  } catch {
    throw new ConfigurationError(`${what}: ${path} is not a valid P-256 public key`);
  }
}
