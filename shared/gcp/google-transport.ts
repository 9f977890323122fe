import type { gaxios } from 'google-auth-library';

/** google-auth-library's fixed OAuth2 origin for service-account keys (token and ID token grants). */
export const GOOGLE_OAUTH2_ORIGIN = 'https://oauth2.googleapis.com';

export interface GoogleTransportOptions {
  /** Where GOOGLE_OAUTH2_ORIGIN really is (the local stand-in); unchanged when absent. */
  oauth2Url?: string;
  /** Timeout of one HTTP request to Google. */
  requestTimeoutMs: number;
  /** The fetch underneath; global fetch by default. */
  fetch?: typeof fetch;
}

/**
 * A fetch that sends calls for GOOGLE_OAUTH2_ORIGIN to `oauth2Url` instead, and leaves every
 * other URL alone. google-auth-library hard-codes that origin for service-account keys (it
 * ignores `token_uri`); external_account configs carry their own `token_url` and impersonation
 * endpoint and need no redirect. The request itself (body, signed assertion with Google's
 * `aud`) is unchanged: only the URL differs offline.
 */
export function redirectingFetch(oauth2Url: string | undefined, base: typeof fetch): typeof fetch {
  if (!oauth2Url) return base;
  const target = new URL(oauth2Url);
  const targetPrefix = `${target.origin}${target.pathname.replace(/\/$/, '')}`;
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url === GOOGLE_OAUTH2_ORIGIN || url.startsWith(`${GOOGLE_OAUTH2_ORIGIN}/`)) {
      const redirected = `${targetPrefix}${url.slice(GOOGLE_OAUTH2_ORIGIN.length)}`;
      return base(input instanceof Request ? new Request(redirected, input) : redirected, init);
    }
    return base(input, init);
  };
}

/**
 * Defaults for the Gaxios transporter of every google-auth-library client crossgate builds.
 * The library asks for retries on its token calls (3, with backoff up to seconds); one quick
 * retry is enough here, because the caller's request has a deadline of its own.
 */
export function googleTransporterOptions(options: GoogleTransportOptions): gaxios.GaxiosOptions {
  return {
    fetchImplementation: redirectingFetch(options.oauth2Url, options.fetch ?? fetch),
    timeout: options.requestTimeoutMs,
    retryConfig: { retry: 1, noResponseRetries: 1, retryDelay: 100, retryDelayMultiplier: 2 },
  };
}
