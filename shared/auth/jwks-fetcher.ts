import { setTimeout as sleep } from 'node:timers/promises';
import { NonRetryableFetchError, FetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';

/** What the fetcher reports; tests and the benchmark count here, the fetcher keeps no counters. */
export interface JwksFetchObserver {
  /** One HTTP request for a JWKS document is about to be sent (each attempt). */
  onFetch?: (uri: string, attempt: number) => void;
}

export interface JwksFetcherOptions {
  /** Abort one attempt after this long. */
  timeoutMs?: number;
  /**
   * The whole fetch, retry included, ends within this long: a failed first attempt is
   * retried once, after a random 50-250 ms, only if at least `minRetryMs` of it is left.
   * Keep it below the function's timeout.
   */
  totalTimeoutMs?: number;
  /** Shortest time worth a second attempt. */
  minRetryMs?: number;
  /**
   * Canonical JWKS URI -> URI to fetch instead. Lets a Cognito pool's keys come from a
   * local stand-in while the token is still checked against the pool's canonical issuer.
   */
  uriOverrides?: Readonly<Record<string, string>>;
  /** Largest JWKS document accepted. */
  maxBytes?: number;
  fetchImplementation?: typeof fetch;
  observer?: JwksFetchObserver;
  /** Jitter source, 0 <= x < 1. */
  random?: () => number;
}

const defaults = {
  timeoutMs: 3000,
  totalTimeoutMs: 5000,
  minRetryMs: 250,
  uriOverrides: {},
  maxBytes: 256 * 1024,
  fetchImplementation: globalThis.fetch,
  observer: {},
  random: Math.random,
} satisfies Required<JwksFetcherOptions>;

/**
 * Fetches JWKS documents with a timeout, over https or http, retrying a failed attempt once.
 *
 * aws-jwt-verify's own fetcher speaks only https; local issuers (moto, oidc-provider) serve
 * http on loopback. The code path is the same everywhere, only the URLs differ. The retry is
 * here because a cold burst on a busy host times out single fetches (FACTS.md: 22 of 50 on 2
 * cores); the jitter keeps concurrent containers from retrying in step. 4xx and oversized
 * documents are not retried: the answer would be the same.
 */
export class JwksFetcher implements Fetcher {
  private readonly options: Required<JwksFetcherOptions>;

  constructor(options: JwksFetcherOptions = {}) {
    this.options = { ...defaults, ...options };
  }

  async fetch(uri: string): Promise<ArrayBuffer> {
    const target = this.options.uriOverrides[uri] ?? uri;
    const started = Date.now();
    const firstTimeout = Math.min(this.options.timeoutMs, this.options.totalTimeoutMs);
    try {
      return await this.attempt(target, 1, firstTimeout);
    } catch (error) {
      if (error instanceof NonRetryableFetchError) throw error;
      const jitterMs = 50 + Math.floor(this.options.random() * 200);
      const left = this.options.totalTimeoutMs - (Date.now() - started) - jitterMs;
      if (left < this.options.minRetryMs) throw error;
      await sleep(jitterMs);
      return this.attempt(target, 2, Math.min(this.options.timeoutMs, left));
    }
  }

  private async attempt(target: string, attempt: number, timeoutMs: number): Promise<ArrayBuffer> {
    this.options.observer.onFetch?.(target, attempt);
    let response: Response;
    try {
      response = await this.options.fetchImplementation(target, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new FetchError(target, `JWKS fetch failed: ${(error as Error).name}`);
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new FetchError(target, `JWKS fetch answered ${response.status}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new NonRetryableFetchError(target, `JWKS fetch answered ${response.status}`);
    }
    let body: ArrayBuffer;
    try {
      body = await response.arrayBuffer();
    } catch (error) {
      throw new FetchError(target, `JWKS read failed: ${(error as Error).name}`);
    }
    if (body.byteLength > this.options.maxBytes) {
      throw new NonRetryableFetchError(target, 'JWKS document too large');
    }
    return body;
  }
}
