import type { Logger } from '@aws-lambda-powertools/logger';
import { CORRELATION_HEADER, resolveCorrelation } from '../correlation/correlation-id';
import { outboundCall } from '../http/outbound-call';
import {
  maybeRequestStateOf,
  startRequestState,
  type GatewayMiddleware,
  type GatewayMiddlewareRequest,
} from './request-state';

export interface CorrelationOptions {
  logger: Logger;
  /** Route name for audit and logs, e.g. `GET /me`. */
  route: string;
  /** Time kept back from the Lambda's remaining time for answering; see outboundCall. */
  lambdaMarginMs?: number;
  /** Clock, for latency and deadlines. */
  now?: () => number;
}

/** The route each logger's persistent `route` key names now. */
const routeOf = new WeakMap<Logger, string>();

/**
 * First in the chain: fixes the correlation id, starts the latency clock, derives the request's
 * outbound call (trace and deadline), tags the logger, and (last on the way out) echoes the id
 * on every response, error responses included.
 */
export function correlation(options: CorrelationOptions): GatewayMiddleware {
  const now = options.now ?? Date.now;

  const correlationBefore = (request: GatewayMiddlewareRequest): void => {
    const headers = request.event.headers ?? {};
    const correlation = resolveCorrelation(headers);
    const startedAt = now();
    const remaining = request.context.getRemainingTimeInMillis;
    startRequestState(request.context, {
      correlation,
      route: options.route,
      startedAt,
      call: outboundCall({
        correlation,
        tracestate: headers.tracestate,
        remainingTimeMs:
          typeof remaining === 'function' ? remaining.call(request.context) : undefined,
        marginMs: options.lambdaMarginMs,
        now: startedAt,
      }),
      audit: {},
    });
    options.logger.addContext(request.context);
    options.logger.setCorrelationId(correlation.correlationId);
    // The route is the same on every request of a function, so it is a persistent key, set
    // when it changes (only where one logger serves several routes: tests, the benchmark).
    // The correlation id is not reset after the request: the next one replaces it, and the
    // few lines written between requests (background refreshes) belong to the last one.
    // Issue 16: appendKeys and resetKeys per request were 2.5 µs of a 20 µs warm /me.
    if (routeOf.get(options.logger) !== options.route) {
      routeOf.set(options.logger, options.route);
      options.logger.appendPersistentKeys({ route: options.route });
    }
  };

  const correlationAfter = (request: GatewayMiddlewareRequest): void => {
    const id = maybeRequestStateOf(request.context)?.correlation.correlationId;
    if (request.response && id) {
      // A route's response object is its own (never shared), so it is tagged in place.
      request.response.headers ??= {};
      request.response.headers[CORRELATION_HEADER] = id;
    }
  };

  return { before: correlationBefore, after: correlationAfter, onError: correlationAfter };
}
