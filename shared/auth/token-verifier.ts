import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwtBaseError,
  FailedAssertionError,
} from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache, SimplePenaltyBox, type JwksCache } from 'aws-jwt-verify/jwk';
import type { DecomposedJwt } from 'aws-jwt-verify/jwt';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { CognitoIssuerConfig, IssuerConfig, OidcIssuerConfig } from '../config/issuers-schema';
import type { CoreConfig } from '../config/schema';
import { GatewayError, InternalError, InvalidTokenError, ServiceUnavailableError } from '../errors';
import { principalFromClaims } from './claims-to-principal';
import { decodeJwt } from './decode-jwt';
import { DecomposedJwtVerifier, type DecomposedIssuerProperties } from './decomposed-jwt-verifier';
import { bundledEmbeddedJwks, cacheEmbeddedJwks, type EmbeddedJwksDocument } from './embedded-jwks';
import { JwksFetcher, type JwksFetchObserver } from './jwks-fetcher';
import type { Principal } from './principal';
import { assertCanonicalJwt, assertTokenSize } from './token-precheck';
import { assertTokenLifetime } from './token-lifetime';
import { VerifiedTokenCache } from './verified-token-cache';

export interface TokenVerifierOptions {
  /** How JWKS documents are fetched; defaults to a JwksFetcher built from config. */
  fetcher?: Fetcher;
  /** Told about each JWKS fetch of the default fetcher (tests, benchmark). */
  jwksObserver?: JwksFetchObserver;
  /** Shared JWKS cache; defaults to a SimpleJwksCache with a penalty box per JWKS URI. */
  jwksCache?: JwksCache;
  /** Tokens already verified; defaults to one sized from config (`auth.verifiedTokenCache`). */
  verifiedTokens?: VerifiedTokenCache;
  /** JWKS fetched at package time, put in the JWKS cache at start; defaults to the bundled set. */
  embeddedJwks?: EmbeddedJwksDocument;
  now?: () => number;
}

type VerifierConfig = Pick<CoreConfig, 'issuers' | 'jwks' | 'auth'>;

/**
 * Verifies bearer tokens from every trusted issuer at once: Cognito user pools and other
 * OIDC issuers, through one aws-jwt-verify verifier. For each token, in this order:
 *
 * 1. the size, then the verified-token cache (exact string): a hit is a string verified before;
 * 2. pre-checks on the string (three canonical base64url segments), before anything decodes it;
 * 3. one decode; its `iss` picks the issuer (no trial and error), `exp` must be present and
 *    the lifetime within the issuer's `maxLifetimeSeconds`;
 * 4. aws-jwt-verify's checks (signature, iss, aud, exp, nbf, Cognito client and token_use)
 *    on that same decode;
 * 5. only then is the token remembered. A token that fails leaves nothing behind.
 *
 * @example
 *   const verifier = TokenVerifier.create(loadConfig());
 *   const principal = await verifier.verify(token); // throws InvalidTokenError
 */
export class TokenVerifier {
  /**
   * Headers of tokens that passed verification, for `decodeJwt`: one per issuer key in
   * practice. Only verified tokens add one, so no caller can fill it, and it stops growing
   * at MAX_KNOWN_HEADERS (a new header is then decoded as before).
   */
  private readonly knownHeaders = new Map<string, JwtHeader>();

  private constructor(
    private readonly issuersByIss: ReadonlyMap<string, IssuerConfig>,
    private readonly verifier: DecomposedJwtVerifier | undefined,
    private readonly maxTokenBytes: number,
    /** The JWKS fetcher in use. */
    readonly fetcher: Fetcher,
    private readonly verifiedTokens: VerifiedTokenCache,
    private readonly now: () => number,
  ) {}

  static create(config: VerifierConfig, options: TokenVerifierOptions = {}): TokenVerifier {
    const cognito = config.issuers.filter((i): i is CognitoIssuerConfig => i.type === 'cognito');
    const oidc = config.issuers.filter((i): i is OidcIssuerConfig => i.type === 'oidc');

    const uriOverrides: Record<string, string> = {};
    for (const pool of cognito) {
      if (!pool.jwksUri) continue;
      for (const issuer of cognitoIssuerUrls(pool.userPoolId)) {
        uriOverrides[`${issuer}/.well-known/jwks.json`] = pool.jwksUri;
      }
    }
    const fetcher =
      options.fetcher ??
      new JwksFetcher({
        timeoutMs: config.jwks.timeoutMs,
        totalTimeoutMs: config.jwks.totalTimeoutMs,
        uriOverrides,
        ...(options.jwksObserver ? { observer: options.jwksObserver } : {}),
      });
    const jwksCache =
      options.jwksCache ??
      new SimpleJwksCache({
        fetcher,
        penaltyBox: new SimplePenaltyBox({ waitSeconds: config.jwks.refetchIntervalSeconds }),
      });

    const issuersByIss = new Map<string, IssuerConfig>();
    const properties: DecomposedIssuerProperties[] = [];
    for (const pool of cognito) {
      for (const issuer of cognitoIssuerUrls(pool.userPoolId)) {
        issuersByIss.set(issuer, pool);
        properties.push({
          issuer,
          jwksUri: `${issuer}/.well-known/jwks.json`,
          // Cognito access tokens have no aud; the client is checked below, as
          // CognitoJwtVerifier does.
          audience: null,
          customJwtCheck: ({ payload }: { payload: JwtPayload }) => {
            validateCognitoJwtFields(payload, { clientId: pool.clientIds, tokenUse: null });
            if (!pool.tokenUse.includes(payload.token_use as 'access' | 'id')) {
              throw new CognitoJwtInvalidTokenUseError(
                'Token use not allowed',
                payload.token_use as string,
                pool.tokenUse,
              );
            }
          },
        });
      }
    }
    for (const issuer of oidc) {
      issuersByIss.set(issuer.issuer, issuer);
      properties.push({
        issuer: issuer.issuer,
        audience: issuer.audience,
        jwksUri: issuer.jwksUri,
        customJwtCheck: ({ header }: { header: JwtHeader }) => {
          if (!issuer.algorithms.includes(header.alg as OidcIssuerConfig['algorithms'][number])) {
            throw new JwtInvalidSignatureAlgorithmError(
              'Signature algorithm not allowed for this issuer',
              String(header.alg),
              issuer.algorithms,
            );
          }
        },
      });
    }
    const verifier =
      properties.length > 0 ? new DecomposedJwtVerifier(properties, jwksCache) : undefined;
    const now = options.now ?? Date.now;
    if (verifier) {
      cacheEmbeddedJwks(verifier, issuersByIss, options.embeddedJwks ?? bundledEmbeddedJwks, {
        now,
      });
    }
    const verifiedTokens =
      options.verifiedTokens ??
      new VerifiedTokenCache({
        maxEntries: config.auth.verifiedTokenCache.maxEntries,
        maxBytes: config.auth.verifiedTokenCache.maxBytes,
        maxAgeSeconds: config.auth.verifiedTokenCache.maxAgeSeconds,
        now,
      });
    return new TokenVerifier(
      issuersByIss,
      verifier,
      config.auth.maxTokenBytes,
      fetcher,
      verifiedTokens,
      now,
    );
  }

  /** Verifies the token and returns its principal; throws InvalidTokenError or ServiceUnavailableError. */
  async verify(token: string): Promise<Principal> {
    const limits = { maxTokenBytes: this.maxTokenBytes };
    assertTokenSize(token, limits);
    // A hit is a string that was verified (and so was canonical) before: the shape checks
    // are for what the cache has not seen.
    const remembered = this.verifiedTokens.get(token);
    if (remembered) return remembered;
    assertCanonicalJwt(token, limits);

    let decomposed: DecomposedJwt;
    try {
      decomposed = decodeJwt(token, this.knownHeaders);
    } catch {
      throw new InvalidTokenError('token is not a well-formed JWT');
    }
    const { iss } = decomposed.payload;
    const issuer = typeof iss === 'string' ? this.issuersByIss.get(iss) : undefined;
    if (!issuer || !this.verifier) throw new InvalidTokenError('token issuer is not trusted');
    assertTokenLifetime(decomposed.payload, issuer.maxLifetimeSeconds, this.now() / 1000);

    let payload: JwtPayload;
    try {
      payload = await this.verifier.verifyDecomposed(decomposed);
    } catch (error) {
      throw translateVerificationError(error);
    }
    const principal = principalFromClaims(payload, issuer);
    this.verifiedTokens.set(token, principal, payload);
    this.rememberHeader(decomposed);
    return principal;
  }

  /** Distinct headers remembered from verified tokens (tests, the benchmark). */
  get knownHeaderCount(): number {
    return this.knownHeaders.size;
  }

  private rememberHeader({ headerB64, header }: DecomposedJwt): void {
    if (this.knownHeaders.size >= MAX_KNOWN_HEADERS || this.knownHeaders.has(headerB64)) return;
    // Shared by every later token with this header: nobody may change it.
    this.knownHeaders.set(headerB64, Object.freeze(header));
  }
}

/** Distinct verified token headers kept: a few per trusted issuer key (typ, kid, alg). */
const MAX_KNOWN_HEADERS = 64;

/** Cognito tokens carry one of two issuer forms; both name the same pool. */
function cognitoIssuerUrls(userPoolId: string): string[] {
  const region = userPoolId.split('_')[0];
  return [
    `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
    `https://issuer-cognito-idp.${region}.amazonaws.com/${userPoolId}`,
  ];
}

/**
 * Maps aws-jwt-verify's errors to a safe, stable reason. Library messages are not shown:
 * some of them quote claim values.
 */
function translateVerificationError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof FetchError) {
    return new ServiceUnavailableError('signing keys of the issuer are unavailable', 5, error);
  }
  const reasons: [abstract new (...args: never[]) => JwtBaseError, string][] = [
    [JwtExpiredError, 'token has expired'],
    [JwtNotBeforeError, 'token is not yet valid'],
    [JwtInvalidIssuerError, 'token issuer is not trusted'],
    [JwtInvalidAudienceError, 'token audience is not accepted'],
    [CognitoJwtInvalidClientIdError, 'token client id is not accepted'],
    [CognitoJwtInvalidTokenUseError, 'token_use is not accepted'],
    [JwtInvalidSignatureAlgorithmError, 'token signature algorithm is not accepted for its key'],
    [JwkInvalidKtyError, 'token signature algorithm is not accepted for its key'],
    [JwkInvalidUseError, 'token signing key is not a signature key'],
    [JwtInvalidSignatureError, 'token signature is invalid'],
    [KidNotFoundInJwksError, 'token signing key (kid) is unknown'],
    [WaitPeriodNotYetEndedJwkError, 'token signing key (kid) is unknown'],
    [JwtWithoutValidKidError, 'token header has no valid kid'],
    [JwtParseError, 'token is not a well-formed JWT'],
  ];
  for (const [errorClass, reason] of reasons) {
    if (error instanceof errorClass) return new InvalidTokenError(reason);
  }
  if (error instanceof FailedAssertionError || error instanceof JwtBaseError) {
    return new InvalidTokenError('token was rejected');
  }
  // Anything else is ours or a bug: a 500 whose detail is never shown.
  return new InternalError('token verification failed unexpectedly', error);
}
