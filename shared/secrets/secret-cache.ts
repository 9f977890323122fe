import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { LRUCache } from 'lru-cache';
import { ConfigurationError, ServiceUnavailableError } from '../errors';

/** What the cache reports; tests and the benchmark count here, the cache keeps no counters. */
export interface SecretCacheObserver {
  /** A GetSecretValue call is about to be sent. */
  onFetch?: (secretId: string) => void;
}

export interface SecretCacheOptions {
  /** Secrets Manager client; point it at moto in tests. */
  client: Pick<SecretsManagerClient, 'send'>;
  /** A fetched value is served without asking again for this long. */
  ttlSeconds?: number;
  /** When Secrets Manager fails, the last good value is served this long past its TTL. */
  staleGraceSeconds?: number;
  /** While a stale value is served, Secrets Manager is asked again after this long at most. */
  staleRetrySeconds?: number;
  /** Retry-After of the 503 when no value can be served. */
  retryAfterSeconds?: number;
  /** Secrets kept at most (a function reads a handful). */
  maxSecrets?: number;
  /**
   * Called when a failed refresh is answered with the last good value: for a warning log.
   * Gets the secret id and the failure, never the value.
   */
  onStaleValue?: (secretId: string, error: unknown) => void;
  observer?: SecretCacheObserver;
  now?: () => number;
}

const defaults = {
  ttlSeconds: 300,
  staleGraceSeconds: 900,
  staleRetrySeconds: 5,
  retryAfterSeconds: 5,
  maxSecrets: 100,
  onStaleValue: () => {},
  observer: {},
  now: Date.now,
};

interface CachedSecret {
  value: string;
  versionId: string | undefined;
  fetchedAt: number;
  /** Parsed forms of this version, per parser, so hot paths do not re-parse JSON. */
  parsed: Map<(raw: unknown) => unknown, unknown>;
}

/**
 * Secrets Manager errors that no retry will fix: the secret is missing, or this function's
 * role may not read or decrypt it. A misconfigured deployment, not an outage: 500 naming the
 * secret id, no Retry-After.
 */
const NOT_READABLE: Readonly<Record<string, string>> = {
  AccessDeniedException: 'may not be read by this function',
  AccessDenied: 'may not be read by this function',
  DecryptionFailure: 'cannot be decrypted by this function',
};

/**
 * Per-container cache of Secrets Manager values, over lru-cache's `fetch()`.
 *
 * - One GetSecretValue in flight per secret: concurrent cold requests share it.
 * - Values live for a TTL; `invalidate()` (after a backend rejected the credential) makes the
 *   next read fetch the current version at once.
 * - When Secrets Manager fails, the last good value is served for a bounded grace period
 *   (asked again every `staleRetrySeconds`); past that, or with no value at all, reads fail
 *   with 503 and Retry-After. lru-cache's own `allowStaleOnFetchRejection` has no bound and
 *   resolves `undefined` when there is no value, losing the error: the grace is kept here.
 * - A secret that does not exist or may not be read is a ConfigurationError (500).
 * - Values never appear in errors or logs: errors name the secret id only.
 *
 * @example
 *   const secrets = new SecretCache({ client: new SecretsManagerClient({}) });
 *   const credentials = await secrets.getJson('crossgate/gerrit', parseGerritCredentials);
 */
export class SecretCache {
  private readonly options: Required<SecretCacheOptions>;
  private readonly entries: LRUCache<string, CachedSecret>;
  /** Secrets whose next read must go to Secrets Manager (the backend refused the value). */
  private readonly invalidated = new Set<string>();
  /** Values served after a failed refresh: their own ttl (staleRetrySeconds) applies. */
  private readonly servingStale = new WeakSet<CachedSecret>();

  constructor(options: SecretCacheOptions) {
    this.options = { ...defaults, ...options };
    this.entries = new LRUCache<string, CachedSecret>({
      max: this.options.maxSecrets,
      ttl: this.options.ttlSeconds * 1000,
      ttlResolution: 0,
      perf: { now: this.options.now },
      // A failed refresh must not drop the last good value: it is the stale fallback.
      noDeleteOnFetchRejection: true,
      fetchMethod: (secretId, previous, { options }) => this.refresh(secretId, previous, options),
    });
  }

  async getString(secretId: string): Promise<string> {
    return (await this.entry(secretId)).value;
  }

  /** The secret parsed as JSON and checked by `parse`; parsed once per version. */
  async getJson<T>(secretId: string, parse: (raw: unknown) => T): Promise<T> {
    const entry = await this.entry(secretId);
    if (entry.parsed.has(parse)) return entry.parsed.get(parse) as T;
    let raw: unknown;
    try {
      raw = JSON.parse(entry.value);
    } catch {
      throw new ConfigurationError(`secret ${secretId} is not valid JSON`);
    }
    const value = parse(raw);
    entry.parsed.set(parse, value);
    return value;
  }

  /** The next read of this secret fetches it again (e.g. after Google rejected the key). */
  invalidate(secretId: string): void {
    this.invalidated.add(secretId);
  }

  private async entry(secretId: string): Promise<CachedSecret> {
    // lru-cache's ttl frees the entry; freshness is decided here, to the millisecond
    // (lru-cache counts an entry stale only once its age exceeds the ttl).
    const cached = this.entries.peek(secretId, { allowStale: true });
    const expired =
      cached !== undefined &&
      !this.servingStale.has(cached) &&
      this.options.now() - cached.fetchedAt >= this.options.ttlSeconds * 1000;
    const forceRefresh = this.invalidated.delete(secretId) || expired;
    const entry = await this.entries.fetch(secretId, { forceRefresh });
    // fetch() resolves undefined only for an aborted fetch, which this cache never does.
    if (!entry) throw new ServiceUnavailableError(`secret ${secretId} is unavailable`);
    return entry;
  }

  private async refresh(
    secretId: string,
    previous: CachedSecret | undefined,
    options: { ttl?: number },
  ): Promise<CachedSecret> {
    try {
      this.options.observer.onFetch?.(secretId);
      const result = await this.options.client.send(
        new GetSecretValueCommand({ SecretId: secretId }),
      );
      const value =
        result.SecretString ??
        (result.SecretBinary ? Buffer.from(result.SecretBinary).toString('utf8') : undefined);
      if (value === undefined) throw new ConfigurationError(`secret ${secretId} has no value`);
      return {
        value,
        versionId: result.VersionId,
        fetchedAt: this.options.now(),
        // A new version invalidates what was parsed from the old one.
        parsed: previous && previous.versionId === result.VersionId ? previous.parsed : new Map(),
      };
    } catch (error) {
      if (error instanceof ConfigurationError) throw error;
      if (error instanceof ResourceNotFoundException) {
        throw new ConfigurationError(`secret ${secretId} does not exist`, error);
      }
      const name = error instanceof Error ? error.name : '';
      const notReadable = NOT_READABLE[name];
      if (notReadable) throw new ConfigurationError(`secret ${secretId} ${notReadable}`, error);

      const graceLeft = previous
        ? previous.fetchedAt +
          (this.options.ttlSeconds + this.options.staleGraceSeconds) * 1000 -
          this.options.now()
        : 0;
      if (previous && graceLeft > 0) {
        this.options.onStaleValue(secretId, error);
        this.servingStale.add(previous);
        options.ttl = Math.max(1, Math.min(this.options.staleRetrySeconds * 1000, graceLeft));
        return previous;
      }
      throw new ServiceUnavailableError(
        `secret ${secretId} is unavailable`,
        this.options.retryAfterSeconds,
        error,
      );
    }
  }
}
