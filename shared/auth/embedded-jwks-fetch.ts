import { assertIsJwks, type Jwks } from 'aws-jwt-verify/jwk';
import type { Fetcher } from 'aws-jwt-verify/https';
import type { Json } from 'aws-jwt-verify/safe-json-parse';
import type { IssuerConfig } from '../config/issuers-schema';
import type { CoreConfig } from '../config/schema';
import type { EmbeddedJwksDocument } from './embedded-jwks';
import { JwksFetcher } from './jwks-fetcher';

export interface FetchEmbeddedJwksOptions {
  /** Defaults to the gateway's own JwksFetcher (http or https, timeout, one retry). */
  fetcher?: Fetcher;
  now?: () => Date;
}

export interface FetchedEmbeddedJwks {
  document: EmbeddedJwksDocument;
  /** Issuers left out, and why: the artifact still works, their first token fetches keys. */
  skipped: { issuer: string; reason: string }[];
}

/**
 * Where an issuer's keys are fetched from: its `jwksUri`, or for a Cognito pool without one,
 * the pool's public JWKS (what aws-jwt-verify would fetch for it).
 */
export function jwksSourceUri(issuer: IssuerConfig): string {
  if (issuer.jwksUri) return issuer.jwksUri;
  if (issuer.type === 'cognito') {
    const region = issuer.userPoolId.split('_')[0];
    return `https://cognito-idp.${region}.amazonaws.com/${issuer.userPoolId}/.well-known/jwks.json`;
  }
  throw new Error(`issuer ${issuer.name} has no jwksUri`);
}

/**
 * Fetches the JWKS of every issuer in the config, for embedding at package time. An issuer
 * that cannot be fetched is skipped, not fatal: embedding saves a cold container one fetch,
 * and an artifact without it behaves as before.
 *
 * @example
 *   const { document, skipped } = await fetchEmbeddedJwks(containerCoreConfig());
 */
export async function fetchEmbeddedJwks(
  config: Pick<CoreConfig, 'issuers' | 'jwks'>,
  options: FetchEmbeddedJwksOptions = {},
): Promise<FetchedEmbeddedJwks> {
  const fetcher =
    options.fetcher ??
    new JwksFetcher({
      timeoutMs: config.jwks.timeoutMs,
      totalTimeoutMs: config.jwks.totalTimeoutMs,
    });
  const issuers: Record<string, Jwks> = {};
  const skipped: FetchedEmbeddedJwks['skipped'] = [];
  await Promise.all(
    config.issuers.map(async (issuer) => {
      try {
        const body = await fetcher.fetch(jwksSourceUri(issuer));
        const jwks = JSON.parse(new TextDecoder().decode(body)) as Json;
        assertIsJwks(jwks);
        issuers[issuer.name] = jwks;
      } catch (error) {
        skipped.push({
          issuer: issuer.name,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }),
  );
  const fetchedAt = (options.now ?? (() => new Date()))().toISOString();
  return { document: { fetchedAt, issuers }, skipped };
}
