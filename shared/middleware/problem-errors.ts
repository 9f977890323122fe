import type { Logger } from '@aws-lambda-powertools/logger';
import { GatewayError, GatewayTimeoutError, InternalError } from '../errors';
import { problemResponse } from '../http/responses';
import {
  maybeRequestStateOf,
  type GatewayMiddleware,
  type GatewayMiddlewareRequest,
} from './request-state';

export interface ProblemErrorsOptions {
  logger: Logger;
}

/**
 * The one place where errors become responses (RFC 9457 problem+json). Errors that are not
 * GatewayErrors are bugs or unexpected failures: logged with their class, shown as a bare 500.
 */
export function problemErrors(options: ProblemErrorsOptions): GatewayMiddleware {
  const problemErrorsOnError = (request: GatewayMiddlewareRequest): void => {
    if (request.response !== undefined) return;
    const gatewayError = toGatewayError(request.error);
    const state = maybeRequestStateOf(request.context);
    if (gatewayError.status >= 500) {
      options.logger.error('request failed', {
        problem: gatewayError.slug,
        error: describeCause(request.error),
      });
    } else {
      options.logger.info('request rejected', {
        problem: gatewayError.slug,
        status: gatewayError.status,
        detail: gatewayError.detail,
      });
    }
    request.response = problemResponse(
      gatewayError,
      state?.correlation.correlationId,
      request.event.rawPath,
    );
  };

  return { onError: problemErrorsOnError };
}

function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  // middy's early-timeout answer when the Lambda is about to run out of time.
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new GatewayTimeoutError('the request ran out of time', error);
  }
  return new InternalError('unexpected failure', error);
}

/** Name and message of the error chain, without stack traces of library internals. */
function describeCause(error: unknown): Record<string, unknown> {
  const chain: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    chain.push(`${current.name}: ${current.message}`);
    current = current.cause;
  }
  return { chain };
}
