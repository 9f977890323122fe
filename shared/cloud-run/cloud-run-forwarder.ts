import type { Logger } from '@aws-lambda-powertools/logger';
import { ASSERTION_HEADER } from '../assertion/assertion-header';
import type { AssertionSigner } from '../assertion/assertion-signer';
import type { Principal } from '../auth/principal';
import type { CloudRunConfig, CloudRunServiceConfig } from './config-schema';
import { CORRELATION_HEADER } from '../correlation/correlation-id';
import { GatewayError, GatewayTimeoutError, UpstreamError } from '../errors';
import type { GcpCredentials } from '../gcp/gcp-credentials';
import { withinTimeout, type OutboundCall } from '../http/outbound-call';
import { retrying, type RetryPolicy } from '../http/retry';
import type { HttpResponse } from '../http/responses';
import { allowedRequestHeaders, allowedResponseHeaders, identityHeaders } from './forward-headers';
import type { ScrubOptions } from '../scrub/scrub-options';
import type { RedactionCounts } from '../scrub/secret-detector';
import { SCRUBBED_REQUEST_HEADERS, scrubAnswer, scrubsFor } from './agent-scrub';
import { proxyPathOf, upstreamPath, upstreamUrl } from './proxy-path';
import { discardBody, encodeBody, headerValue, readLimitedBody } from './response-body';
import { isIdempotent, isRetryableStatus } from './retry-policy';
import {
  keepAliveAgents,
  upstreamRequest,
  type UpstreamAgents,
  type UpstreamAnswer,
} from './upstream-request';

export interface CloudRunForwarderOptions {
  config: CloudRunConfig;
  /** Mints and caches the ID tokens for each service's audience. */
  credentials: Pick<GcpCredentials, 'idToken' | 'forgetIdToken'>;
  /** Signs (and reuses) the caller assertion each service can verify. */
  assertions: Pick<AssertionSigner, 'assertionFor'>;
  /**
   * Keep-alive connection pools for the services; by default one pair per forwarder (the
   * container). Why node:http rather than fetch or undici: upstream-request.ts.
   */
  agents?: UpstreamAgents;
  now?: () => number;
  random?: () => number;
  /** Waits between attempts; rejects when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** How agents' answers are scrubbed (services with `scrubForAgents`); secretlint by default. */
  scrub?: ScrubOptions;
}

/** A Cloud Run service from config, resolved once per request. */
export interface ResolvedService {
  name: string;
  config: CloudRunServiceConfig;
}

/** One caller request, already authenticated and allowed for `service`. */
export interface ForwardRequest {
  service: ResolvedService;
  method: string;
  /** The request path as sent (`event.rawPath`), encoded characters still visible. */
  rawPath: string;
  rawQueryString: string;
  /** Lower-cased caller headers. */
  headers: Readonly<Record<string, string | undefined>>;
  body?: Buffer;
  principal: Principal;
  /**
   * Correlation, trace and the Lambda's deadline. The forwarder narrows it to the service's
   * `timeoutMs` itself (see `forward`); retries included, everything is over by then.
   */
  call: OutboundCall;
}

export interface ForwardResult {
  response: HttpResponse;
  upstreamStatus: number;
  attempts: number;
  /** Redactions by rule when the answer was scrubbed for an agent; absent when not scrubbed. */
  redactions?: RedactionCounts;
}

/** How close to the deadline a retry is still worth starting. */
const MIN_ATTEMPT_MS = 50;

/**
 * Forwards a caller's request to a Cloud Run service named in config, with a Google ID token
 * for the service, the caller's identity in x-crossgate-* headers and as a signed assertion
 * (x-crossgate-assertion, audience the service's URL), the correlation id and
 * trace, bounded by a deadline; retries idempotent methods on connection errors and
 * 502/503/504 with jittered backoff; maps the answer back binary-safe.
 *
 * The upstream URL is built from config and a checked path only: never from caller input
 * alone.
 */
export class CloudRunForwarder {
  private readonly agents: UpstreamAgents;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly sleep: ((ms: number, signal: AbortSignal) => Promise<unknown>) | undefined;

  constructor(private readonly options: CloudRunForwarderOptions) {
    // Lambda freezes between invocations: a kept socket the service closed meanwhile fails as
    // a connection error, which idempotent methods retry.
    this.agents = options.agents ?? keepAliveAgents();
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep;
  }

  async forward(request: ForwardRequest): Promise<ForwardResult> {
    // One cleared timer for the whole forward, retries included (outbound-call.ts).
    return withinTimeout(
      request.call,
      request.service.config.timeoutMs,
      (call) => this.forwardWithin({ ...request, call }),
      this.now,
    );
  }

  private async forwardWithin(request: ForwardRequest): Promise<ForwardResult> {
    const { name, config: service } = request.service;
    const { call } = request;
    const path = upstreamPath(proxyPathOf(request.rawPath, name));
    const url = upstreamUrl(service.url, path, request.rawQueryString);
    const audience = service.audience ?? service.url;
    const [idToken, assertion] = await Promise.all([
      this.options.credentials.idToken(audience, { deadline: call.deadline }),
      this.options.assertions.assertionFor(request.principal, audience),
    ]);

    const headers = {
      ...allowedRequestHeaders(request.headers, [
        ...this.options.config.requestHeaders,
        ...service.extraRequestHeaders,
      ]),
      ...identityHeaders(request.principal),
      [ASSERTION_HEADER]: assertion,
      [CORRELATION_HEADER]: call.correlationId,
      traceparent: call.traceparent,
      ...(call.tracestate ? { tracestate: call.tracestate } : {}),
      authorization: `Bearer ${idToken}`,
      ...(scrubsFor(request.principal, service) ? SCRUBBED_REQUEST_HEADERS : {}),
    };
    const maxRetries = isIdempotent(request.method)
      ? (service.maxRetries ?? this.options.config.maxRetries)
      : 0;
    const policy: RetryPolicy = {
      maxAttempts: maxRetries + 1,
      baseDelayMs: this.options.config.baseBackoffMs,
      maxDelayMs: this.options.config.maxBackoffMs,
      jitter: 'full',
      minAttemptMs: MIN_ATTEMPT_MS,
    };
    const body =
      request.body && request.method !== 'GET' && request.method !== 'HEAD'
        ? new Uint8Array(request.body)
        : undefined;

    let attempts = 0;
    return retrying<ForwardResult>(
      policy,
      call,
      async (attempt) => {
        attempts = attempt;
        if (call.deadline - this.now() <= 0) throw timeout(name);
        let response: UpstreamAnswer;
        try {
          response = await upstreamRequest(url, {
            method: request.method,
            headers,
            body,
            signal: call.signal,
            agents: this.agents,
          });
        } catch (error) {
          if (call.signal.aborted) throw timeout(name, error);
          return {
            giveUp: () => {
              throw new UpstreamError(`service ${name} could not be reached`, undefined, error);
            },
          };
        }
        const mapped = () => this.mapped(request, service, audience, response, attempts);
        if (!isRetryableStatus(response.statusCode)) return { value: await mapped() };
        return {
          giveUp: mapped,
          onRetry: () => {
            // A 5xx body is never passed on, so it can be dropped before the retry.
            void discardBody(response);
            this.options.logger?.info('retrying Cloud Run call', {
              service: name,
              upstreamStatus: response.statusCode,
              attempt,
            });
          },
        };
      },
      { now: this.now, random: this.random, sleep: this.sleep },
    );
  }

  /** The caller's answer from the service's response, or the error that stands for it. */
  private async mapped(
    request: ForwardRequest,
    service: CloudRunServiceConfig,
    audience: string,
    response: UpstreamAnswer,
    attempts: number,
  ): Promise<ForwardResult> {
    try {
      return {
        ...(await this.mapResponse(request, service, audience, response)),
        upstreamStatus: response.statusCode,
        attempts,
      };
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      if (request.call.signal.aborted) throw timeout(request.service.name, error);
      throw new UpstreamError(
        `service ${request.service.name} broke off its response`,
        response.statusCode,
        error,
      );
    }
  }

  private async mapResponse(
    request: ForwardRequest,
    service: CloudRunServiceConfig,
    audience: string,
    response: UpstreamAnswer,
  ): Promise<{ response: HttpResponse; redactions?: RedactionCounts }> {
    const status = response.statusCode;
    if (status >= 500) {
      await discardBody(response);
      throw new UpstreamError(
        `service ${request.service.name} failed with status ${status}`,
        status,
      );
    }
    if (status === 401) {
      // Cloud Run's front end refused our ID token: mint a new one next time.
      await discardBody(response);
      this.options.credentials.forgetIdToken(audience);
      throw new UpstreamError(
        `service ${request.service.name} refused the gateway's identity token`,
        401,
      );
    }
    const contentType = headerValue(response.headers, 'content-type');
    let body = await readLimitedBody(response, this.options.config.maxResponseBytes);
    let headers = allowedResponseHeaders(response.headers, [
      ...this.options.config.responseHeaders,
      ...service.extraResponseHeaders,
    ]);
    let redactions: RedactionCounts | undefined;
    if (scrubsFor(request.principal, service)) {
      ({ body, headers, redactions } = await scrubAnswer(
        body,
        headers,
        contentType,
        this.options.scrub,
      ));
    }
    const encoded =
      request.method === 'HEAD'
        ? { body: '', isBase64Encoded: false }
        : encodeBody(body, contentType);
    return {
      response: { statusCode: status, headers, ...encoded },
      ...(redactions ? { redactions } : {}),
    };
  }
}

function timeout(service: string, cause?: unknown): GatewayTimeoutError {
  return new GatewayTimeoutError(`service ${service} did not answer before the deadline`, cause);
}
