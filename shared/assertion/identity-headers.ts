import type { Principal } from '../auth/principal';
import { identityHeaders } from '../cloud-run/forward-headers';

/** The header that carries the signed caller assertion (see AssertionSigner). */
export const ASSERTION_HEADER = 'x-crossgate-assertion';

/**
 * Every identity header crossgate sends a Cloud Run service: the existing set from
 * forward-headers.ts plus `x-crossgate-user` and `x-crossgate-issuer`, and the signed
 * assertion when one is given. Only `issuer` + `subject` together are unique: two issuers can
 * hand out the same `sub`.
 *
 * | header                       | source                      | encoding                                      |
 * | ---------------------------- | --------------------------- | --------------------------------------------- |
 * | `x-crossgate-user`           | principal.username          | percent-encoded outside visible ASCII, and `%` |
 * | `x-crossgate-issuer`         | issuer name from config     | as above                                      |
 * | `x-crossgate-subject`        | `sub` (or Cognito UUID)     | as above                                      |
 * | `x-crossgate-email`          | `email`, when known         | as above                                      |
 * | `x-crossgate-groups`         | groups                      | comma-separated; `,` and space in an item encoded |
 * | `x-crossgate-scopes`         | scopes                      | space-separated; same item encoding           |
 * | `x-crossgate-principal-kind` | person / machine            | literal                                       |
 * | `x-crossgate-assertion`      | AssertionSigner             | compact JWS (base64url, always header-safe)   |
 *
 * `x-crossgate-user` is absent when the token names no username (as `x-crossgate-email`).
 *
 * @example
 *   const upstream = { ...callerIdentityHeaders(principal, await signer.assertionFor(principal, aud)) };
 */
export function callerIdentityHeaders(
  principal: Principal,
  assertion?: string,
): Record<string, string> {
  return {
    ...identityHeaders(principal),
    ...(principal.username ? { 'x-crossgate-user': headerSafe(principal.username) } : {}),
    'x-crossgate-issuer': headerSafe(principal.issuerName),
    ...(assertion ? { [ASSERTION_HEADER]: assertion } : {}),
  };
}

/**
 * The same rule as forward-headers.ts (private there, and that file is being restructured):
 * percent-encodes what cannot travel in a header value (non-visible ASCII, `%`), so that a
 * backend decodes every single-valued header with one `unquote`/`decodeURIComponent`.
 */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x24\x26-\x7e]/gu, (char) => encodeURIComponent(char));
}
