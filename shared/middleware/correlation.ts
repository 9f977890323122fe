import type { Logger } from '@aws-lambda-powertools/logger';
import { CORRELATION_HEADER, resolveCorrelation } from '../correlation/correlation-id';
import type { GatewayMiddleware, GatewayRequest } from './request-state';

export interface CorrelationOptions {
  logger: Logger;
  /** Route name for audit and logs, e.g. `GET /me`. */
  route: string;
  /** Clock, for latency. */
  now?: () => number;
}

/**
 * First in the chain: fixes the correlation id, starts the latency clock, tags the logger,
 * and (last on the way out) echoes the id on every response, error responses included.
 */
export function correlation(options: CorrelationOptions): GatewayMiddleware {
  const now = options.now ?? Date.now;

  const correlationBefore = (request: GatewayRequest): void => {
    const correlation = resolveCorrelation(request.event.headers ?? {});
    request.context.crossgate = {
      correlation,
      route: options.route,
      startedAt: now(),
      audit: {},
    };
    options.logger.addContext(request.context);
    options.logger.appendKeys({ correlation_id: correlation.correlationId, route: options.route });
  };

  const correlationAfter = (request: GatewayRequest): void => {
    const id = request.context.crossgate?.correlation.correlationId;
    if (request.response && id) {
      request.response.headers = { ...request.response.headers, [CORRELATION_HEADER]: id };
    }
    options.logger.resetKeys();
  };

  return { before: correlationBefore, after: correlationAfter, onError: correlationAfter };
}
