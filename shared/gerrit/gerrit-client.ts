import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayTimeoutError, UpstreamError } from '../errors';
import type { OutboundCall } from '../http/outbound-call';
import { retrying, type RetryPolicy } from '../http/retry';
import type { SecretCache } from '../secrets/secret-cache';
import { basicAuthorization, parseGerritCredentials } from './gerrit-credentials';
import { gerritError, isRunAsRefusal, parseRetryAfter } from './gerrit-errors';
import { GerritJsonError, parseGerritJson, XSSI_PREFIX } from './gerrit-json';
import type { GroupInfo } from './gerrit-types';

export interface GerritClientOptions {
  /** Gerrit's canonical web URL, e.g. `https://review.example.com` or `.../r` behind a path. */
  baseUrl: string;
  /** Secrets Manager id of the service account's HTTP credentials. */
  credentialsSecretId: string;
  /** The container's secret cache; invalidated when Gerrit answers 401 (rotated password). */
  secrets: Pick<SecretCache, 'getJson' | 'invalidate'>;
  /** GETs answered 429 are tried this many times in all, within the deadline. */
  maxAttempts?: number;
  /** First retry delay; doubled per attempt, never shorter than Gerrit's Retry-After. */
  retryBaseDelayMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  /** Waits between 429 retries; rejects when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
}

/** One call made for a caller: the request's outbound call, as the caller's Gerrit account. */
export interface GerritCall extends OutboundCall {
  /** The caller's Gerrit account, sent as `X-Gerrit-RunAs`. Never empty. */
  runAs: string;
}

const defaults = {
  maxAttempts: 3,
  retryBaseDelayMs: 200,
  fetch: (...args: Parameters<typeof fetch>) => fetch(...args),
  now: Date.now,
  sleep: (ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal }),
};

/** A Gerrit REST call as a client sent it to the gateway, checked; the path is after `/a`. */
export interface GerritForwardRequest {
  method: 'GET' | 'POST';
  /** Already encoded, e.g. `/changes/team%2Ftools~7/detail`. */
  path: string;
  /** Already encoded, without `?`. */
  query?: string;
  /** JSON text. */
  body?: string;
}

/** Gerrit's answer as received. */
export interface GerritAnswer {
  status: number;
  body: string;
  /** Only the headers a Gerrit client reads (RELAYED_HEADERS), lower-case names. */
  headers: Record<string, string>;
  retryAfterSeconds?: number;
}

/**
 * Headers of Gerrit's answer that clients read: the type, and the `X-FYI-*` pair that says a
 * file's content is base64 and what type the file is (GET .../files/{file}/content).
 */
const RELAYED_HEADERS = ['content-type', 'x-fyi-content-encoding', 'x-fyi-content-type'] as const;

/** Upper bound of one wait between 429 retries, Retry-After included. */
const MAX_BACKOFF_MS = 30_000;

/**
 * Gerrit's REST API as crossgate's service account, acting for a caller through
 * `X-Gerrit-RunAs`: every public method needs the caller's account, so no call is ever made
 * as the service account itself.
 *
 * - Authenticated calls go to `<baseUrl>/a/...` with HTTP Basic credentials from Secrets Manager.
 * - JSON answers must carry Gerrit's `)]}'` line; it is stripped.
 * - Errors become GatewayErrors (see gerrit-errors.ts); a 401 invalidates the cached
 *   credentials and retries once (the password was rotated); GETs answered 429 are retried
 *   with backoff while the deadline allows.
 *
 * @example
 *   const gerrit = new GerritClient({ baseUrl, credentialsSecretId, secrets: secretCacheFor(config) });
 *   await withinTimeout(request.call, 10_000, (call) =>
 *     gerrit.forward({ method: 'GET', path: '/changes/demo~42/detail' }, { ...call, runAs: 'bob' }),
 *   );
 */
export class GerritClient {
  private readonly options: Required<GerritClientOptions>;
  private readonly apiBase: string;

  constructor(options: GerritClientOptions) {
    this.options = { ...defaults, ...options };
    this.apiBase = `${options.baseUrl.replace(/\/+$/, '')}/a`;
  }

  /** The groups the caller belongs to, as Gerrit sees them (`GET /accounts/self/groups`). */
  async accountGroups(call: GerritCall): Promise<GroupInfo[]> {
    const body = await this.request('GET', '/accounts/self/groups/', call);
    if (!Array.isArray(body)) throw new UpstreamError('Gerrit answered a group list with no list');
    return body as GroupInfo[];
  }

  /**
   * One call to Gerrit's REST API passed on as Gerrit answered it: any 2xx or 4xx comes back
   * as status, body text and the headers a Gerrit client reads, so the gateway can relay
   * Gerrit's own answers (`)]}'` JSON, plain-text errors). What the gateway itself must refuse
   * still throws: our credentials rejected (after one refetch), Run As not granted or the
   * caller unknown to Gerrit (403 problems), 429 after the retries, 5xx, timeouts.
   *
   * @example
   *   await gerrit.forward({ method: 'GET', path: '/changes/demo~1/detail', query }, call)
   */
  async forward(request: GerritForwardRequest, call: GerritCall): Promise<GerritAnswer> {
    return this.exchange(
      request.method,
      `${this.apiBase}${request.path}${request.query ? `?${request.query}` : ''}`,
      call,
      request.body,
      (response) => {
        if (response.status >= 200 && response.status < 300) {
          // A JSON answer without Gerrit's )]}' line did not come from Gerrit's REST API (a
          // proxy's page, a misrouted base URL): not passed on as Gerrit's.
          const json = /json/i.test(response.headers['content-type'] ?? '');
          if (json && response.body !== '' && !response.body.startsWith(XSSI_PREFIX)) {
            throw new UpstreamError(
              `Gerrit's answer was not Gerrit JSON: it does not start with the ${XSSI_PREFIX} line`,
              response.status,
            );
          }
          return response;
        }
        if (response.status === 403 && isRunAsRefusal(response.body)) {
          throw gerritError({ ...response, runAs: call.runAs });
        }
        if (response.status >= 400 && response.status < 500) return response;
        throw gerritError({ ...response, runAs: call.runAs });
      },
    );
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    call: GerritCall,
    extra: { query?: URLSearchParams; body?: unknown } = {},
  ): Promise<unknown> {
    const queryString = extra.query?.toString();
    const url = `${this.apiBase}${path}${queryString ? `?${queryString}` : ''}`;
    const payload = extra.body === undefined ? undefined : JSON.stringify(extra.body);
    return this.exchange(method, url, call, payload, (response) => this.answer(response, call));
  }

  /** Sends (GETs answered 429 retried within the deadline) and reads the answer with `read`. */
  private async exchange<T>(
    method: 'GET' | 'POST',
    url: string,
    call: GerritCall,
    payload: string | undefined,
    read: (response: GerritAnswer) => T,
  ): Promise<T> {
    if (!call.runAs) throw new UpstreamError('refusing to call Gerrit without a caller account');
    const { now } = this.options;
    const policy: RetryPolicy = {
      maxAttempts: method === 'GET' ? this.options.maxAttempts : 1,
      baseDelayMs: this.options.retryBaseDelayMs,
      maxDelayMs: MAX_BACKOFF_MS,
      jitter: 'none',
      minAttemptMs: 1,
    };
    return retrying<T>(
      policy,
      call,
      async () => {
        const response = await this.sendAuthenticated(url, method, call, payload);
        if (response.status !== 429) return { value: read(response) };
        return {
          giveUp: (): T => {
            throw gerritError({ ...response, runAs: call.runAs });
          },
          retryAfterMs: (response.retryAfterSeconds ?? 0) * 1000,
        };
      },
      { now, sleep: this.options.sleep },
    );
  }

  /**
   * Sends with the service account's credentials. A 401 means our own credentials were
   * refused, most likely because the password was rotated under us: the cached secret is
   * dropped and the call made once more with a fresh read.
   */
  private async sendAuthenticated(
    url: string,
    method: 'GET' | 'POST',
    call: GerritCall,
    payload: string | undefined,
  ): ReturnType<GerritClient['send']> {
    const { secrets, credentialsSecretId } = this.options;
    for (let pass = 1; ; pass += 1) {
      const credentials = await secrets.getJson(credentialsSecretId, parseGerritCredentials);
      const response = await this.send(url, method, call, {
        authorization: basicAuthorization(credentials),
        payload,
      });
      if (response.status !== 401) return response;
      if (pass > 1) {
        throw new UpstreamError("Gerrit rejected crossgate's service account credentials", 401);
      }
      secrets.invalidate(credentialsSecretId);
    }
  }

  /** Gerrit's answer as JSON, or the gateway error its status stands for. */
  private answer(response: { status: number; body: string }, call: GerritCall): unknown {
    if (response.status < 200 || response.status >= 300) {
      throw gerritError({ ...response, runAs: call.runAs });
    }
    if (response.status === 204 || response.body === '') return undefined;
    try {
      return parseGerritJson(response.body);
    } catch (error) {
      if (error instanceof GerritJsonError) {
        throw new UpstreamError(
          `Gerrit's answer was not Gerrit JSON: ${error.message}`,
          response.status,
          error,
        );
      }
      throw error;
    }
  }

  private async send(
    url: string,
    method: 'GET' | 'POST',
    call: GerritCall,
    request: { authorization: string; payload: string | undefined },
  ): Promise<GerritAnswer> {
    const remaining = call.deadline - this.options.now();
    if (remaining <= 0) throw new GatewayTimeoutError('no time was left to call Gerrit');
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: request.authorization,
      'x-gerrit-runas': call.runAs,
      'user-agent': 'crossgate',
    };
    if (request.payload !== undefined) headers['content-type'] = 'application/json; charset=UTF-8';
    headers['x-correlation-id'] = call.correlationId;
    headers.traceparent = call.traceparent;
    if (call.tracestate) headers.tracestate = call.tracestate;
    try {
      const response = await this.options.fetch(url, {
        method,
        headers,
        body: request.payload,
        redirect: 'manual',
        signal: call.signal,
      });
      // The same signal bounds reading the body.
      const body = await response.text();
      const retryAfterSeconds = parseRetryAfter(
        response.headers.get('retry-after'),
        this.options.now(),
      );
      const relayed: Record<string, string> = {};
      for (const name of RELAYED_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) relayed[name] = value;
      }
      return {
        status: response.status,
        body,
        headers: relayed,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      };
    } catch (error) {
      if (
        error instanceof Error &&
        (error.name === 'TimeoutError' || error.name === 'AbortError')
      ) {
        throw new GatewayTimeoutError(`Gerrit did not answer within ${remaining} ms`, error);
      }
      throw new UpstreamError('Gerrit is unreachable', undefined, error);
    }
  }
}
