import { NonRetryableFetchError, FetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';

export interface JwksFetcherOptions {
  /** Abort one fetch after this long. */
  timeoutMs?: number;
  /**
   * Canonical JWKS URI -> URI to fetch instead. Lets a Cognito pool's keys come from a
   * local stand-in while the token is still checked against the pool's canonical issuer.
   */
  uriOverrides?: Readonly<Record<string, string>>;
  /** Largest JWKS document accepted. */
  maxBytes?: number;
  fetchImplementation?: typeof fetch;
}

const defaults = {
  timeoutMs: 3000,
  uriOverrides: {},
  maxBytes: 256 * 1024,
  fetchImplementation: globalThis.fetch,
} satisfies Required<JwksFetcherOptions>;

/**
 * Fetches JWKS documents with a timeout, over https or http.
 *
 * aws-jwt-verify's own fetcher speaks only https; local issuers (moto, oidc-provider) serve
 * http on loopback. The code path is the same everywhere, only the URLs differ.
 */
export class JwksFetcher implements Fetcher {
  private readonly options: Required<JwksFetcherOptions>;
  /** Number of JWKS documents fetched by this container; benchmarks and tests read it. */
  fetchCount = 0;

  constructor(options: JwksFetcherOptions = {}) {
    this.options = { ...defaults, ...options };
  }

  async fetch(uri: string): Promise<ArrayBuffer> {
    const target = this.options.uriOverrides[uri] ?? uri;
    this.fetchCount += 1;
    let response: Response;
    try {
      response = await this.options.fetchImplementation(target, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new FetchError(target, `JWKS fetch failed: ${(error as Error).name}`);
    }
    if (!response.ok) {
      throw new NonRetryableFetchError(target, `JWKS fetch answered ${response.status}`);
    }
    const body = await response.arrayBuffer();
    if (body.byteLength > this.options.maxBytes) {
      throw new NonRetryableFetchError(target, 'JWKS document too large');
    }
    return body;
  }
}
