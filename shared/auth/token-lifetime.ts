import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { InvalidTokenError } from '../errors';

/**
 * Refuses tokens that would be good for too long. aws-jwt-verify checks `exp` only when it
 * is present, so a signed token without `exp` would be valid forever: refuse it. A token
 * whose `exp - iat` exceeds the issuer's limit is refused, and so is one that still has more
 * than the limit to run (no `iat`, or an `iat` in the future), so that omitting or moving
 * `iat` cannot stretch the limit.
 *
 * @param nowSeconds the current time in epoch seconds
 * @throws InvalidTokenError
 */
export function assertTokenLifetime(
  payload: JwtPayload,
  maxLifetimeSeconds: number,
  nowSeconds: number,
): void {
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new InvalidTokenError('token has no expiry (exp)');
  }
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) {
    throw new InvalidTokenError('token is not a well-formed JWT');
  }
  const lifetime = typeof iat === 'number' ? exp - iat : 0;
  if (lifetime > maxLifetimeSeconds || exp - nowSeconds > maxLifetimeSeconds) {
    throw new InvalidTokenError(`token lifetime exceeds ${maxLifetimeSeconds} seconds`);
  }
}
