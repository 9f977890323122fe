import { CognitoJwtVerifier } from 'aws-jwt-verify/cognito-verifier';
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
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import type { CognitoIssuerConfig, IssuerConfig, OidcIssuerConfig } from '../config/issuers-schema';
import type { CoreConfig } from '../config/schema';
import { InvalidTokenError, ServiceUnavailableError } from '../errors';
import { principalFromClaims } from './claims-to-principal';
import { JwksFetcher } from './jwks-fetcher';
import type { Principal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

export interface TokenVerifierOptions {
  /** How JWKS documents are fetched; defaults to a JwksFetcher built from config. */
  fetcher?: Fetcher;
  /** Shared JWKS cache; defaults to a SimpleJwksCache with a penalty box per JWKS URI. */
  jwksCache?: JwksCache;
  /** Tokens already verified; defaults to one sized from config (`auth.verifiedTokenCache`). */
  verifiedTokens?: VerifiedTokenCache;
}

type VerifierConfig = Pick<CoreConfig, 'issuers' | 'jwks' | 'auth'>;

interface TrustedIssuer {
  config: IssuerConfig;
  verify: (token: string) => Promise<JwtPayload>;
}

/**
 * Verifies bearer tokens from every trusted issuer at once: Cognito user pools through
 * CognitoJwtVerifier, other OIDC issuers through JwtVerifier. The token's `iss` picks the
 * issuer (no trial and error); everything else is aws-jwt-verify's checks.
 *
 * @example
 *   const verifier = TokenVerifier.create(loadConfig());
 *   const principal = await verifier.verify(token); // throws InvalidTokenError
 */
export class TokenVerifier {
  private constructor(
    private readonly issuersByIss: ReadonlyMap<string, TrustedIssuer>,
    private readonly maxTokenBytes: number,
    /** The fetcher, when it is ours: exposes how many JWKS fetches this container made. */
    readonly fetcher: Fetcher,
    private readonly verifiedTokens: VerifiedTokenCache,
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
      options.fetcher ?? new JwksFetcher({ timeoutMs: config.jwks.timeoutMs, uriOverrides });
    const jwksCache =
      options.jwksCache ??
      new SimpleJwksCache({
        fetcher,
        penaltyBox: new SimplePenaltyBox({ waitSeconds: config.jwks.refetchIntervalSeconds }),
      });

    const issuersByIss = new Map<string, TrustedIssuer>();
    if (cognito.length > 0) {
      const verifier = CognitoJwtVerifier.create(
        cognito.map((pool) => ({
          userPoolId: pool.userPoolId,
          clientId: pool.clientIds,
          // Several token kinds are checked in customJwtCheck, one kind by the library.
          tokenUse: pool.tokenUse.length === 1 ? (pool.tokenUse[0] ?? null) : null,
          customJwtCheck: ({ payload }: { payload: JwtPayload }) => {
            if (!pool.tokenUse.includes(payload.token_use as 'access' | 'id')) {
              throw new CognitoJwtInvalidTokenUseError(
                'Token use not allowed',
                payload.token_use as string,
                pool.tokenUse,
              );
            }
          },
        })),
        { jwksCache },
      );
      for (const pool of cognito) {
        for (const issuer of cognitoIssuerUrls(pool.userPoolId)) {
          issuersByIss.set(issuer, {
            config: pool,
            verify: (token) => verifier.verify(token) as Promise<JwtPayload>,
          });
        }
      }
    }
    if (oidc.length > 0) {
      const verifier = JwtVerifier.create(
        oidc.map((issuer) => ({
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
        })),
        { jwksCache },
      );
      for (const issuer of oidc) {
        issuersByIss.set(issuer.issuer, {
          config: issuer,
          verify: (token) => verifier.verify(token) as Promise<JwtPayload>,
        });
      }
    }
    const verifiedTokens =
      options.verifiedTokens ??
      new VerifiedTokenCache({
        maxEntries: config.auth.verifiedTokenCache.maxEntries,
        maxAgeSeconds: config.auth.verifiedTokenCache.maxAgeSeconds,
      });
    return new TokenVerifier(issuersByIss, config.auth.maxTokenBytes, fetcher, verifiedTokens);
  }

  /** Verifies the token and returns its principal; throws InvalidTokenError or ServiceUnavailableError. */
  async verify(token: string): Promise<Principal> {
    if (Buffer.byteLength(token, 'utf8') > this.maxTokenBytes) {
      throw new InvalidTokenError(`token is larger than ${this.maxTokenBytes} bytes`);
    }
    const remembered = this.verifiedTokens.get(token);
    if (remembered) return remembered;

    let iss: unknown;
    try {
      iss = decomposeUnverifiedJwt(token).payload.iss;
    } catch {
      throw new InvalidTokenError('token is not a well-formed JWT');
    }
    const trusted = typeof iss === 'string' ? this.issuersByIss.get(iss) : undefined;
    if (!trusted) throw new InvalidTokenError('token issuer is not trusted');

    try {
      const payload = await trusted.verify(token);
      const principal = principalFromClaims(payload, trusted.config);
      this.verifiedTokens.set(token, principal, payload);
      return principal;
    } catch (error) {
      throw translateVerificationError(error);
    }
  }
}

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
function translateVerificationError(error: unknown): Error {
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
  return error instanceof Error ? error : new Error(String(error));
}
