import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ConfigurationError, ServiceUnavailableError } from '../errors';

export interface SecretCacheOptions {
  /** Secrets Manager client; point it at moto in tests. */
  client: Pick<SecretsManagerClient, 'send'>;
  /** A fetched value is served without asking again for this long. */
  ttlSeconds?: number;
  /** When Secrets Manager fails, the last good value is served this long past its TTL. */
  staleGraceSeconds?: number;
  /** Retry-After of the 503 when no value can be served. */
  retryAfterSeconds?: number;
  /**
   * Called when a failed refresh is answered with the last good value: for a warning log.
   * Gets the secret id and the failure, never the value.
   */
  onStaleValue?: (secretId: string, error: unknown) => void;
  now?: () => number;
}

const defaults = {
  ttlSeconds: 300,
  staleGraceSeconds: 900,
  retryAfterSeconds: 5,
  onStaleValue: () => {},
  now: Date.now,
};

interface CachedSecret {
  value: string;
  versionId: string | undefined;
  fetchedAt: number;
  /** Forces a refetch on the next read (the backend rejected the credential). */
  invalidated: boolean;
  /** Parsed forms of this version, per parser, so hot paths do not re-parse JSON. */
  parsed: Map<(raw: unknown) => unknown, unknown>;
}

/**
 * Per-container cache of Secrets Manager values.
 *
 * - One GetSecretValue in flight per secret: concurrent cold requests share it.
 * - Values live for a TTL; `invalidate()` (after a backend rejected the credential) makes the
 *   next read fetch the current version at once.
 * - When Secrets Manager fails, the last good value is served for a bounded grace period;
 *   past that, or with no value at all, reads fail with 503 and Retry-After.
 * - Values never appear in errors or logs: errors name the secret id only.
 *
 * @example
 *   const secrets = new SecretCache({ client: new SecretsManagerClient({}) });
 *   const credentials = await secrets.getJson('crossgate/gerrit', parseGerritCredentials);
 */
export class SecretCache {
  private readonly options: Required<SecretCacheOptions>;
  private readonly entries = new Map<string, CachedSecret>();
  private readonly inFlight = new Map<string, Promise<CachedSecret>>();
  /** GetSecretValue calls made by this container; tests and benchmarks read it. */
  fetchCount = 0;

  constructor(options: SecretCacheOptions) {
    this.options = { ...defaults, ...options };
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
    const entry = this.entries.get(secretId);
    if (entry) entry.invalidated = true;
  }

  private async entry(secretId: string): Promise<CachedSecret> {
    const cached = this.entries.get(secretId);
    const now = this.options.now();
    if (cached && !cached.invalidated && now - cached.fetchedAt < this.options.ttlSeconds * 1000) {
      return cached;
    }
    let pending = this.inFlight.get(secretId);
    if (!pending) {
      pending = this.refresh(secretId, cached).finally(() => this.inFlight.delete(secretId));
      this.inFlight.set(secretId, pending);
    }
    return pending;
  }

  private async refresh(
    secretId: string,
    previous: CachedSecret | undefined,
  ): Promise<CachedSecret> {
    try {
      this.fetchCount += 1;
      const result = await this.options.client.send(
        new GetSecretValueCommand({ SecretId: secretId }),
      );
      const value =
        result.SecretString ??
        (result.SecretBinary ? Buffer.from(result.SecretBinary).toString('utf8') : undefined);
      if (value === undefined) throw new ConfigurationError(`secret ${secretId} has no value`);
      const fresh: CachedSecret = {
        value,
        versionId: result.VersionId,
        fetchedAt: this.options.now(),
        invalidated: false,
        // A new version invalidates what was parsed from the old one.
        parsed: previous && previous.versionId === result.VersionId ? previous.parsed : new Map(),
      };
      this.entries.set(secretId, fresh);
      return fresh;
    } catch (error) {
      if (error instanceof ConfigurationError) throw error;
      if (error instanceof ResourceNotFoundException) {
        throw new ConfigurationError(`secret ${secretId} does not exist`, error);
      }
      const staleUntil =
        previous &&
        previous.fetchedAt + (this.options.ttlSeconds + this.options.staleGraceSeconds) * 1000;
      if (previous && staleUntil !== undefined && this.options.now() < staleUntil) {
        this.options.onStaleValue(secretId, error);
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
