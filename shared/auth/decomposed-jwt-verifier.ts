import { JwksNotAvailableInCacheError, KidNotFoundInJwksError } from 'aws-jwt-verify/error';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { DecomposedJwt } from 'aws-jwt-verify/jwt';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import {
  JwtVerifierBase,
  type JwtVerifierProperties,
  type VerifyProperties,
} from 'aws-jwt-verify/jwt-verifier';

/** VerifyProperties as a type alias: the verifier base wants an indexable record type. */
type DecomposedVerifyProperties = Pick<VerifyProperties, keyof VerifyProperties>;

/** One trusted issuer, as aws-jwt-verify takes it: its `iss`, JWKS URI and checks. */
export type DecomposedIssuerProperties = JwtVerifierProperties<DecomposedVerifyProperties> & {
  issuer: string;
  jwksUri: string;
  audience: string | string[] | null;
};

/**
 * aws-jwt-verify's verifier for several issuers, verifying a token the caller has already
 * decomposed (`decomposeUnverifiedJwt`), so that a new token is parsed once: the gateway
 * reads `iss` and the lifetime claims from the same decode that is verified.
 *
 * `verify(string)` would decompose again; `verifyDecomposedJwt` and `getIssuerConfig` are the
 * library's own protected steps of `verify`, made reachable here. Cognito pools are plain
 * issuers here too, with `validateCognitoJwtFields` as their custom check: that is what
 * CognitoJwtVerifier does after the same steps (its constructor is private, so it cannot be
 * subclassed).
 */
export class DecomposedJwtVerifier extends JwtVerifierBase<
  DecomposedVerifyProperties,
  DecomposedIssuerProperties,
  true
> {
  // Not useless: it makes the base class's protected constructor public.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(issuers: DecomposedIssuerProperties[], jwksCache: JwksCache) {
    super(issuers, jwksCache);
  }

  /**
   * Signature, `iss`, `aud`, `exp`, `nbf` and the issuer's custom check, from one decode.
   *
   * When the issuer's JWKS is cached and has the token's kid (every warm request, and every
   * cold one with embedded keys) this is the library's synchronous verification: the same
   * checks without its five awaits (issue 16). A JWKS not cached yet, or a kid it lacks,
   * takes the asynchronous path, which fetches through the penalty box.
   */
  async verifyDecomposed(decomposed: DecomposedJwt): Promise<JwtPayload> {
    const issuer = this.getIssuerConfig(decomposed.payload.iss);
    try {
      return this.verifyDecomposedJwtSync(decomposed, issuer.jwksUri, issuer);
    } catch (error) {
      if (!(
        error instanceof JwksNotAvailableInCacheError || error instanceof KidNotFoundInJwksError
      )) {
        throw error;
      }
    }
    return this.verifyDecomposedJwt(decomposed, issuer.jwksUri, issuer);
  }
}
