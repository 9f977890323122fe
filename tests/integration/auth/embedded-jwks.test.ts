import { beforeAll, describe, expect, it } from 'vitest';
import {
  cacheEmbeddedJwks,
  parseEmbeddedJwks,
  type EmbeddedJwksDocument,
} from '../../../shared/auth/embedded-jwks';
import { fetchEmbeddedJwks } from '../../../shared/auth/embedded-jwks-fetch';
import { TokenVerifier } from '../../../shared/auth/token-verifier';
import { InvalidTokenError } from '../../../shared/errors';
import type { CoreConfig } from '../../../shared/config/schema';
import { forgeCognitoToken } from '../../helpers/forge';
import { stackConfig, testStack, token } from '../../helpers/stack';

/**
 * JWKS embedded at package time, against the stack's real issuers (moto's Cognito pool and the
 * OIDC provider): fetched as the package step does, loaded with aws-jwt-verify's cacheJwks, and
 * counted at the gateway's own JWKS fetcher.
 */
let config: CoreConfig;
let embedded: EmbeddedJwksDocument;

beforeAll(async () => {
  config = stackConfig();
  const fetched = await fetchEmbeddedJwks(config);
  expect(fetched.skipped).toEqual([]);
  embedded = fetched.document;
});

function countingVerifier(options: { embeddedJwks?: EmbeddedJwksDocument; now?: () => number }) {
  const fetched: string[] = [];
  const verifier = TokenVerifier.create(config, {
    ...options,
    jwksObserver: { onFetch: (uri) => fetched.push(uri) },
  });
  return { verifier, fetched };
}

describe('embedded JWKS', () => {
  it('happy flow: the package step fetches a JWKS for every configured issuer', () => {
    expect(Object.keys(embedded.issuers).sort()).toEqual(
      config.issuers.map((issuer) => issuer.name).sort(),
    );
    expect(Date.now() - Date.parse(embedded.fetchedAt ?? '')).toBeLessThan(60_000);
  });

  it('happy flow: a cold verifier with embedded keys verifies people and machines with no JWKS fetch', async () => {
    const { verifier, fetched } = countingVerifier({ embeddedJwks: embedded });
    const bob = await verifier.verify(await token('bob'));
    const ciBot = await verifier.verify(await token('ci-bot'));
    expect(bob.username).toBe('bob');
    expect(ciBot.kind).toBe('machine');
    expect(fetched).toEqual([]);
  });

  it('control: without embedded keys the same verifier fetches once per issuer', async () => {
    const { verifier, fetched } = countingVerifier({
      embeddedJwks: { fetchedAt: null, issuers: {} },
    });
    await verifier.verify(await token('bob'));
    await verifier.verify(await token('ci-bot'));
    expect(fetched).toHaveLength(2);
  });

  it('error flow: an unknown kid still fetches the JWKS, once per penalty-box interval', async () => {
    const { verifier, fetched } = countingVerifier({ embeddedJwks: embedded });
    for (const kid of ['rotated-1', 'rotated-2', 'rotated-3']) {
      const forged = await forgeCognitoToken(testStack(), { header: { kid } });
      const error = await verifier.verify(forged).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidTokenError);
      expect((error as InvalidTokenError).detail).toBe('token signing key (kid) is unknown');
    }
    expect(fetched).toHaveLength(1);
    // The refetched set still verifies real tokens.
    expect((await verifier.verify(await token('bob'))).username).toBe('bob');
  });

  it('error flow: keys embedded longer ago than the maximum age are not used', async () => {
    const old = { ...embedded, fetchedAt: new Date(Date.now() - 8 * 24 * 3600_000).toISOString() };
    const { verifier, fetched } = countingVerifier({ embeddedJwks: old });
    await verifier.verify(await token('ci-bot'));
    expect(fetched).toHaveLength(1);
  });

  it('happy flow: cacheJwks is called for each iss an issuer is known by', () => {
    const calls: string[] = [];
    const names = cacheEmbeddedJwks(
      { cacheJwks: (_jwks, iss) => calls.push(iss) },
      new Map([
        ['https://cognito-idp.us-east-1.amazonaws.com/p', { name: 'cognito' }],
        ['https://issuer-cognito-idp.us-east-1.amazonaws.com/p', { name: 'cognito' }],
        ['https://other.example', { name: 'not-embedded' }],
      ]),
      embedded,
    );
    expect(names).toEqual(['cognito']);
    expect(calls).toEqual([
      'https://cognito-idp.us-east-1.amazonaws.com/p',
      'https://issuer-cognito-idp.us-east-1.amazonaws.com/p',
    ]);
  });

  it.each([
    ['not an object', 'x', 'embedded JWKS: the document is not an object'],
    ['a bad date', { fetchedAt: 'soon', issuers: {} }, 'embedded JWKS: fetchedAt is not a date'],
    ['no issuers', { fetchedAt: null }, 'embedded JWKS: issuers is not an object'],
    [
      'an entry that is no JWKS',
      { fetchedAt: null, issuers: { machines: { keys: 'none' } } },
      'embedded JWKS: issuers.machines is not a JWKS',
    ],
  ])('error flow: a document with %s is refused at start', (_name, raw, message) => {
    expect(() => parseEmbeddedJwks(raw)).toThrow(new Error(message));
  });
});
