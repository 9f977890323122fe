import type { Logger } from '@aws-lambda-powertools/logger';
import {
  GatewayError,
  GatewayTimeoutError,
  ServiceUnavailableError,
  UpstreamError,
} from '../errors';
import type { SecretCache } from '../secrets/secret-cache';
import { gcpCredentialParser, type GcpCredential } from './credential-secret';
import { ExternalAccountSource } from './external-account-source';
import { googleTransporterOptions } from './google-transport';
import { ServiceAccountSource } from './service-account-source';
import { ShortLivedTokensSource } from './short-lived-tokens-source';
import { TokenCache } from './token-cache';
import { NoUsableTokenError, type TokenSource } from './token-source';

export interface GcpCredentialsOptions {
  /** The container's secret cache; the credential is read through it. */
  secrets: Pick<SecretCache, 'getJson' | 'invalidate'>;
  /** Secrets Manager id of the credential. */
  secretId: string;
  /** Tokens are reused until this long before expiry. */
  refreshMarginSeconds?: number;
  /**
   * When a refresh fails (Google down), the cached token is still served until this long
   * before its real expiry, with a warning log.
   */
  staleMarginSeconds?: number;
  /** Upper bound of one mint, Google's retries included. */
  mintTimeoutMs?: number;
  /** Ask for the `email` claim in ID tokens (external_account). */
  idTokenIncludeEmail?: boolean;
  /** Where https://oauth2.googleapis.com really is (offline); see google-transport.ts. */
  oauth2Url?: string;
  /** The fetch google-auth-library uses underneath. */
  fetch?: typeof fetch;
  logger?: Pick<Logger, 'warn'>;
  now?: () => number;
}

export interface TokenRequestOptions {
  /** Epoch ms after which the caller no longer waits (its own request deadline): 504. */
  deadline?: number;
}

const defaults = {
  refreshMarginSeconds: 300,
  staleMarginSeconds: 30,
  mintTimeoutMs: 5000,
  idTokenIncludeEmail: true,
};

/** Thrown inside a mint: Google refused the credential itself (400 invalid_grant, 401, 403). */
class CredentialRejectedError extends Error {
  override readonly name = 'CredentialRejectedError';
  constructor(readonly upstreamStatus: number) {
    super(`Google rejected the credential (${upstreamStatus})`);
  }
}

class MintTimeoutError extends Error {
  override readonly name = 'MintTimeoutError';
}

/**
 * Short-lived Google tokens for the gateway, from the credential in Secrets Manager.
 *
 * - ID tokens are cached per audience and access tokens per scope set until
 *   `refreshMarginSeconds` before expiry; one mint in flight per token, shared by every
 *   request that waits for it. When a refresh fails, the cached token is served until
 *   `staleMarginSeconds` before its real expiry, with a warning.
 * - When Google rejects the credential, the secret is invalidated and re-read at once (it may
 *   have been rotated) and the mint is tried once more.
 * - Failures become GatewayErrors: 503 with Retry-After when Google or Secrets Manager is
 *   unavailable, 502 when Google rejects the credential, 504 past the caller's deadline.
 *   No token or secret value ever reaches an error or a log line.
 *
 * @example
 *   const gcp = gcpCredentialsFor(config);
 *   const idToken = await gcp.idToken('https://echo-abc-uc.a.run.app', { deadline });
 *   const accessToken = await gcp.accessToken(['https://www.googleapis.com/auth/spanner.data']);
 */
export class GcpCredentials {
  private readonly options: GcpCredentialsOptions & typeof defaults & { now: () => number };
  private readonly cache: TokenCache;
  private readonly parse: (raw: unknown) => GcpCredential;
  /** One source per parsed secret version: its clients keep google-auth-library's own caches. */
  private readonly sources = new WeakMap<GcpCredential, TokenSource>();
  /** The source of the secret version read last, so a refused ID token can be dropped there too. */
  private currentSource: TokenSource | undefined;

  constructor(options: GcpCredentialsOptions) {
    this.options = { ...defaults, now: Date.now, ...options };
    this.cache = new TokenCache({
      marginMs: this.options.refreshMarginSeconds * 1000,
      staleMarginMs: this.options.staleMarginSeconds * 1000,
      now: this.options.now,
      onStaleToken: (key, error, expiresAt) =>
        this.options.logger?.warn('Google token refresh failed; serving the cached token', {
          // The key is `id <audience>` or `access <scopes>`: no token, no secret.
          tokenFor: key,
          expiresInSeconds: Math.round((expiresAt - this.options.now()) / 1000),
          reason: error instanceof Error ? error.name : 'unknown',
        }),
    });
    this.parse = gcpCredentialParser(options.secretId);
  }

  /** A Google ID token whose audience is `audience` (a Cloud Run service URL). */
  idToken(audience: string, request: TokenRequestOptions = {}): Promise<string> {
    const key = `id ${audience}`;
    // A warm container's every call: no deadline timer, no race (issue 16, /run's CPU).
    const fresh = this.cache.fresh(key);
    if (fresh !== undefined) return Promise.resolve(fresh);
    return this.withDeadline(
      key,
      this.cache.get(key, () => this.mint((source) => source.idToken(audience))),
      request.deadline,
    );
  }

  /** An OAuth2 access token for these scopes (order does not matter). */
  accessToken(scopes: readonly string[], request: TokenRequestOptions = {}): Promise<string> {
    const key = [...new Set(scopes)].sort();
    const cacheKey = `access ${key.join(' ')}`;
    const fresh = this.cache.fresh(cacheKey);
    if (fresh !== undefined) return Promise.resolve(fresh);
    return this.withDeadline(
      cacheKey,
      this.cache.get(cacheKey, () => this.mint((source) => source.accessToken(key))),
      request.deadline,
    );
  }

  /** Forgets the ID token of an audience whose service refused it; the next call mints. */
  forgetIdToken(audience: string): void {
    this.cache.delete(`id ${audience}`);
    this.currentSource?.forgetIdToken(audience);
  }

  private async mint<T>(use: (source: TokenSource) => Promise<T>): Promise<T> {
    try {
      return await this.attempt(use);
    } catch (error) {
      if (!(error instanceof CredentialRejectedError || error instanceof NoUsableTokenError)) {
        throw this.toGatewayError(error);
      }
      // The secret may have been rotated since we read it: read the current version now.
      this.options.logger?.warn('GCP credential refused; re-reading the secret once', {
        secretId: this.options.secretId,
        reason: error.name,
      });
      this.options.secrets.invalidate(this.options.secretId);
      try {
        return await this.attempt(use);
      } catch (retryError) {
        throw this.toGatewayError(retryError);
      }
    }
  }

  private async attempt<T>(use: (source: TokenSource) => Promise<T>): Promise<T> {
    const source = await this.source();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new MintTimeoutError('Google token endpoint did not answer in time')),
        this.options.mintTimeoutMs,
      );
    });
    try {
      return await Promise.race([use(source), timeout]);
    } catch (error) {
      const status = upstreamStatusOf(error);
      if (status === 401 || status === 403 || (status === 400 && isInvalidGrant(error))) {
        throw new CredentialRejectedError(status);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async source(): Promise<TokenSource> {
    const credential = await this.options.secrets.getJson(this.options.secretId, this.parse);
    let source = this.sources.get(credential);
    if (!source) {
      source = this.createSource(credential);
      this.sources.set(credential, source);
    }
    this.currentSource = source;
    return source;
  }

  private createSource(credential: GcpCredential): TokenSource {
    const transporterOptions = googleTransporterOptions({
      oauth2Url: this.options.oauth2Url,
      requestTimeoutMs: this.options.mintTimeoutMs,
      fetch: this.options.fetch,
    });
    const eagerRefreshThresholdMillis = this.options.refreshMarginSeconds * 1000;
    switch (credential.type) {
      case 'external_account':
        return new ExternalAccountSource(credential, {
          transporterOptions,
          eagerRefreshThresholdMillis,
          includeEmail: this.options.idTokenIncludeEmail,
        });
      case 'service_account':
        return new ServiceAccountSource(credential, {
          transporterOptions,
          eagerRefreshThresholdMillis,
        });
      case 'short_lived_tokens':
        return new ShortLivedTokensSource(credential, {
          marginMs: this.options.refreshMarginSeconds * 1000,
          now: this.options.now,
        });
    }
  }

  private toGatewayError(error: unknown): GatewayError {
    if (error instanceof GatewayError) return error;
    if (error instanceof CredentialRejectedError) {
      return new UpstreamError(
        'Google rejected the gateway credential',
        error.upstreamStatus,
        error,
      );
    }
    if (error instanceof NoUsableTokenError) {
      return new ServiceUnavailableError('no unexpired Google token is available', 30, error);
    }
    if (error instanceof MintTimeoutError) {
      return new ServiceUnavailableError(
        'the Google token endpoint did not answer in time',
        5,
        error,
      );
    }
    return new ServiceUnavailableError('the Google token endpoint is unavailable', 5, error);
  }

  /**
   * Waits for the token until the request's deadline. When a refresh is under way and the
   * cached token is still valid (inside the refresh margin, not near its real expiry), the
   * request waits at most `refreshWaitMs` and then uses that token: a slow Google must not turn
   * a usable token into a 504 (found by the e2e fault suite: Google slow, token good for 200 s,
   * 504 "no Google token before the request deadline"). The refresh goes on for later calls.
   */
  private async withDeadline(key: string, pending: Promise<string>, deadline: number | undefined) {
    const usable = this.cache.usable(key);
    if (deadline === undefined && usable === undefined) return pending;
    let timer: NodeJS.Timeout | undefined;
    const untilDeadline =
      deadline === undefined ? Infinity : Math.max(0, deadline - this.options.now());
    const expired = new Promise<string>((resolve, reject) => {
      timer = setTimeout(
        () => {
          const fallback = this.cache.usable(key);
          if (fallback !== undefined) resolve(fallback);
          else reject(new GatewayTimeoutError('no Google token before the request deadline'));
        },
        usable === undefined ? untilDeadline : Math.min(untilDeadline, REFRESH_WAIT_MS),
      );
    });
    // A refresh that fails after the fallback answered must not be an unhandled rejection.
    pending.catch(() => undefined);
    try {
      return await Promise.race([pending, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** How long a request with a still-valid cached token waits for its refresh. */
const REFRESH_WAIT_MS = 500;

/** HTTP status of a google-auth-library (Gaxios) failure, when Google answered at all. */
function upstreamStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { status?: unknown; response?: { status?: unknown } };
  const status = candidate.response?.status ?? candidate.status;
  return typeof status === 'number' ? status : undefined;
}

function isInvalidGrant(error: unknown): boolean {
  const data = (error as { response?: { data?: unknown } }).response?.data;
  return (
    typeof data === 'object' &&
    data !== null &&
    ['invalid_grant', 'unauthorized_client', 'invalid_client'].includes(
      String((data as { error?: unknown }).error),
    )
  );
}
