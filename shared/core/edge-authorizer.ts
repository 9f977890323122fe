import type { Logger } from '@aws-lambda-powertools/logger';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { bearerToken } from '../auth/bearer-token';
import type { TokenVerifier } from '../auth/token-verifier';
import { containerCoreDependencies } from '../container';
import { AuthenticationError, GatewayError } from '../errors';
import { logger as containerLogger } from '../logging/logger';

/**
 * What the edge passes on to the integration (`$context.authorizer.<key>` in the access log).
 * The functions do not trust it: they verify the token again and build their own Principal.
 * Values are strings because API Gateway's simple-response context allows only scalars.
 */
export interface EdgeAuthorizerContext {
  subject: string;
  issuerName: string;
  kind: string;
  clientId: string;
}

export type EdgeAuthorizerResult =
  APIGatewaySimpleAuthorizerWithContextResult<EdgeAuthorizerContext>;

export interface EdgeAuthorizerOptions {
  /** Defaults to the container's verifier (the one every function uses). */
  verifier?: TokenVerifier;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * The error message API Gateway (and serverless offline) turn into a 401 without running the
 * route. `{ isAuthorized: false }` would be a 403, which tells a client with an expired token
 * that it lacks permission instead of that it should fetch a new token.
 */
export const UNAUTHORIZED = 'Unauthorized';

/**
 * The Authorization header as the authorizer sees it. AWS puts the identity source values in
 * `identitySource` (one entry here: the header); headers are lower-case in AWS and in their
 * original case under serverless offline (FACTS.md), so both are looked up.
 */
function authorizationHeader(event: APIGatewayRequestAuthorizerEventV2): string | undefined {
  const fromSource = event.identitySource?.[0];
  if (fromSource) return fromSource;
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === 'authorization' && value) return value;
  }
  return undefined;
}

/**
 * HTTP API Lambda REQUEST authorizer (payload 2.0, simple responses): every configured issuer
 * passes the edge, with the same TokenVerifier the functions run. A rejected token throws
 * `Unauthorized` (401 at the edge); the reason goes to the log, never the token.
 *
 * @example
 *   export const handler = createEdgeAuthorizer();
 */
export function createEdgeAuthorizer(
  options: EdgeAuthorizerOptions = {},
): (event: APIGatewayRequestAuthorizerEventV2) => Promise<EdgeAuthorizerResult> {
  return async function edgeAuthorizer(event) {
    // Resolved on the first call, not at import, so a bad config fails a request (logged)
    // rather than the module load; the container caches it either way.
    const verifier = options.verifier ?? containerCoreDependencies().verifier;
    const logger = options.logger ?? containerLogger;

    const header = authorizationHeader(event)?.trim();
    const token = header ? bearerToken(header) : undefined;
    try {
      if (!token) throw new AuthenticationError('a bearer token is required');
      const principal = await verifier.verify(token);
      return {
        isAuthorized: true,
        context: {
          subject: principal.subject,
          issuerName: principal.issuerName,
          kind: principal.kind,
          clientId: principal.clientId ?? '',
        },
      };
    } catch (error) {
      if (error instanceof GatewayError && error.status === 401) {
        logger.info('edge authorizer refused a token', {
          routeKey: event.routeKey,
          reason: error.detail,
        });
        throw new Error(UNAUTHORIZED);
      }
      // JWKS unreachable, bad config: not the caller's fault. API Gateway answers 500, which
      // the authorizer-error alarm counts; the detail stays in this log.
      logger.error('edge authorizer failed', {
        routeKey: event.routeKey,
        reason: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error',
      });
      throw error instanceof Error ? error : new Error(String(error));
    }
  };
}
