import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { ConfigurationError, InternalError } from '../errors';
import {
  assertionKeySetSchema,
  parseAssertionKeySet,
  publicPart,
  type AssertionKeySetDocument,
  type PrivateEcJwk,
} from './key-set';

/**
 * The steps of a key rotation, on the stored document (what `npm run keys` runs):
 *
 *   init     a new set with one current key
 *   add-next a next key: published in the JWKS at once, signs nothing yet
 *   promote  next becomes current; the old current is retired (public part only) with `retiredAt`
 *   prune    drops retired keys past their publish window
 *
 * Every step validates its input and its output with the parser the gateway uses.
 */

export interface RotationOptions {
  now?: () => number;
}

/** A new P-256 key as a private JWK; `kid` is its RFC 7638 thumbprint. */
export async function generateSigningJwk(): Promise<PrivateEcJwk> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y, d } = privateKey.export({ format: 'jwk' });
  if (!x || !y || !d) throw new InternalError('node:crypto exported an EC key without x, y or d');
  const kid = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x, y });
  return { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid, x, y, d };
}

export async function initKeySet(options: RotationOptions = {}): Promise<AssertionKeySetDocument> {
  const now = options.now ?? Date.now;
  return checked({
    current: { addedAt: iso(now()), jwk: await generateSigningJwk() },
    retired: [],
  });
}

export async function addNextKey(
  document: unknown,
  options: RotationOptions = {},
): Promise<AssertionKeySetDocument> {
  const set = stored(document);
  if (set.next)
    throw new ConfigurationError('the key set already has a next key: promote it first');
  const now = options.now ?? Date.now;
  return checked({ ...set, next: { addedAt: iso(now()), jwk: await generateSigningJwk() } });
}

export interface PromoteOptions extends RotationOptions {
  /**
   * How long the next key must have been published before it may sign: at least the JWKS
   * `max-age` backends cache plus the secret cache TTL of the gateway. Default 900 s.
   */
  minPublishedSeconds?: number;
}

export function promoteNextKey(
  document: unknown,
  options: PromoteOptions = {},
): AssertionKeySetDocument {
  const set = stored(document);
  if (!set.next) throw new ConfigurationError('the key set has no next key to promote');
  const now = (options.now ?? Date.now)();
  const publishedFor = (now - Date.parse(set.next.addedAt)) / 1000;
  const minimum = options.minPublishedSeconds ?? 900;
  if (publishedFor < minimum) {
    throw new ConfigurationError(
      `the next key was added ${Math.floor(publishedFor)} s ago; backends may not have it ` +
        `in their JWKS cache yet (wait ${minimum} s, or pass a smaller minimum deliberately)`,
    );
  }
  return checked({
    current: set.next,
    retired: [
      // The private half is dropped here: a retired key only ever verifies.
      { retiredAt: iso(now), jwk: publicPart(set.current.jwk) },
      ...(set.retired ?? []),
    ],
  });
}

export interface PruneOptions extends RotationOptions {
  /** The JWKS publish window of retired keys (`retiredPublishSeconds`). Default 3600 s. */
  retiredPublishSeconds?: number;
}

export function pruneRetiredKeys(
  document: unknown,
  options: PruneOptions = {},
): AssertionKeySetDocument {
  const set = stored(document);
  const now = (options.now ?? Date.now)();
  const window = (options.retiredPublishSeconds ?? 3600) * 1000;
  return checked({
    ...set,
    retired: (set.retired ?? []).filter((key) => Date.parse(key.retiredAt) + window > now),
  });
}

/** Parses the stored document, refusing it as the gateway would. */
function stored(document: unknown): AssertionKeySetDocument {
  parseAssertionKeySet(document, 'the stored key set');
  return assertionKeySetSchema.parse(document);
}

function checked(document: AssertionKeySetDocument): AssertionKeySetDocument {
  parseAssertionKeySet(document, 'the new key set');
  return document;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
