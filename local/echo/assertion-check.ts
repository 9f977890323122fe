import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

/**
 * How the sample service checks `x-crossgate-assertion`, as docs/cloud-run.md tells a real
 * backend to: the gateway's JWKS fetched with jose's createRemoteJWKSet (cached, refetched on
 * an unknown kid at most once per cooldown), ES256 only, `iss` the gateway, `aud` this
 * service's own URL, `exp` in the future.
 */
export interface AssertionCheckOptions {
  /** The gateway's `GET /.well-known/jwks.json` (injectable: any URL serving the key set). */
  jwksUrl: string;
  /** The gateway's issuer URL (the `iss` of every assertion). */
  issuer: string;
  /** This service's audiences (its URL). */
  audiences: string[];
  /** Minimum wait between JWKS refetches on an unknown kid (jose's default: 30 s). */
  jwksCooldownMs?: number;
}

export type AssertionResult =
  { ok: true; kid: string | undefined; claims: JWTPayload } | { ok: false; reason: string };

export function assertionChecker(
  options: AssertionCheckOptions,
): (assertion: string | undefined) => Promise<AssertionResult> {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    ...(options.jwksCooldownMs === undefined ? {} : { cooldownDuration: options.jwksCooldownMs }),
  });
  return async (assertion) => {
    if (!assertion) return { ok: false, reason: 'missing x-crossgate-assertion' };
    try {
      const { payload, protectedHeader } = await jwtVerify(assertion, jwks, {
        algorithms: ['ES256'],
        issuer: options.issuer,
        audience: options.audiences,
        requiredClaims: ['iat', 'exp', 'sub'],
      });
      return { ok: true, kid: protectedHeader.kid, claims: payload };
    } catch (error) {
      return { ok: false, reason: refusal(error) };
    }
  };
}

/** A short reason a test can match; the token itself is never echoed. */
function refusal(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'assertion expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `assertion claim ${error.claim} refused`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'assertion kid unknown to the gateway JWKS';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'assertion signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'assertion algorithm not allowed';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return 'gateway JWKS unavailable';
  }
  return 'assertion malformed';
}
