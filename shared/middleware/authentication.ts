import type { TokenVerifier } from '../auth/token-verifier';
import { AuthenticationError, InvalidTokenError } from '../errors';
import {
  requestStateOf,
  type GatewayMiddleware,
  type GatewayMiddlewareRequest,
} from './request-state';

export interface AuthenticationOptions {
  /** Built once per container; verifies tokens of every trusted issuer. */
  verifier: Pick<TokenVerifier, 'verify'>;
}

const BEARER = /^Bearer[ ]+([^ ]+)$/i;

/**
 * Verifies the bearer token in the Lambda, even though API Gateway's authorizer has seen it:
 * the edge may be misconfigured, and only here do the claims become a Principal.
 */
export function authentication(options: AuthenticationOptions): GatewayMiddleware {
  const authenticationBefore = async (request: GatewayMiddlewareRequest): Promise<void> => {
    const header = request.event.headers?.authorization;
    if (header === undefined || header.trim() === '') {
      throw new AuthenticationError('a bearer token is required');
    }
    const match = BEARER.exec(header.trim());
    if (!match?.[1]) throw new InvalidTokenError('the Authorization header is not a Bearer token');
    requestStateOf(request.context).principal = await options.verifier.verify(match[1]);
  };

  return { before: authenticationBefore };
}
