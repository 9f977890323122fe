import { bearerToken } from '../auth/bearer-token';
import type { Principal } from '../auth/principal';
import type { TokenVerifier } from '../auth/token-verifier';
import { AuthenticationError, InvalidTokenError } from '../errors';
import {
  requestStateOf,
  type GatewayMiddleware,
  type GatewayMiddlewareRequest,
} from './request-state';

export interface BasicAuthenticationOptions {
  /**
   * The account name a verified principal stands for; the Basic user name must equal it.
   * Undefined (no account) refuses Basic for that principal.
   */
  accountOf: (principal: Principal) => string | undefined;
}

export interface AuthenticationOptions {
  /** Built once per container; verifies tokens of every trusted issuer. */
  verifier: Pick<TokenVerifier, 'verify'>;
  /**
   * Also accept `Authorization: Basic` whose password is the bearer token (clients that can
   * only send Basic: Backstage's Gerrit integration, git credential helpers). Off by default.
   */
  basic?: BasicAuthenticationOptions;
}

const BASIC = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})$/i;

/**
 * Verifies the bearer token in the Lambda, even though API Gateway's authorizer has seen it:
 * the edge may be misconfigured, and only here do the claims become a Principal.
 */
export function authentication(options: AuthenticationOptions): GatewayMiddleware {
  const challenge = options.basic
    ? 'Bearer realm="crossgate", Basic realm="crossgate"'
    : 'Bearer realm="crossgate"';
  const invalid = options.basic
    ? 'Bearer realm="crossgate", error="invalid_token", Basic realm="crossgate"'
    : undefined;

  const authenticationBefore = async (request: GatewayMiddlewareRequest): Promise<void> => {
    const header = request.event.headers?.authorization?.trim();
    if (header === undefined || header === '') {
      throw new AuthenticationError('a bearer token is required', challenge);
    }
    const state = requestStateOf(request.context);
    const bearer = bearerToken(header);
    if (bearer) {
      state.principal = await options.verifier.verify(bearer);
      return;
    }
    const basic = options.basic ? BASIC.exec(header) : null;
    if (!options.basic || !basic?.[1]) {
      throw new InvalidTokenError(
        options.basic
          ? 'the Authorization header is neither a Bearer token nor Basic with the token as password'
          : 'the Authorization header is not a Bearer token',
        invalid,
      );
    }
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1 || colon === decoded.length - 1) {
      throw new InvalidTokenError('Basic credentials must be user:token', invalid);
    }
    const principal = await options.verifier.verify(decoded.slice(colon + 1));
    // The user name is never trusted for identity; it must only agree with the token.
    if (options.basic.accountOf(principal) !== decoded.slice(0, colon)) {
      throw new InvalidTokenError("the Basic user name is not the token's account", invalid);
    }
    state.principal = principal;
  };

  return { before: authenticationBefore };
}
