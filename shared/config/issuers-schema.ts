import * as z from 'zod';

const signingAlgorithms = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;

const commonIssuerFields = {
  /** Name used in logs, audit events and /me. */
  name: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes'),
  /** Claim that lists the caller's groups. */
  groupsClaim: z.string().min(1).optional(),
  /** Claim that names the caller; falls back to the usual claims when absent. */
  usernameClaim: z.string().min(1).optional(),
  /**
   * Longest token lifetime accepted (`exp - iat`, and time left until `exp`). Tokens without
   * `exp` are always refused. Default 24 h; most IdPs issue 5 minutes to 1 hour.
   */
  maxLifetimeSeconds: z
    .number()
    .int()
    .positive()
    .max(7 * 24 * 60 * 60)
    .default(24 * 60 * 60),
};

export const cognitoIssuerSchema = z.strictObject({
  type: z.literal('cognito'),
  ...commonIssuerFields,
  userPoolId: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/, 'a user pool id such as us-east-1_AbC123'),
  /** App client ids whose tokens are accepted (checked against `client_id` or `aud`). */
  clientIds: z.array(z.string().min(1)).min(1),
  /** Which Cognito token kinds are accepted. */
  tokenUse: z
    .array(z.enum(['access', 'id']))
    .min(1)
    .default(['access']),
  /**
   * Where to fetch the pool's JWKS when it is not Cognito's own public URL (a local stand-in).
   * Only the URL changes: the token is still verified against the pool's canonical issuer.
   */
  jwksUri: z.url().optional(),
});

export const oidcIssuerSchema = z.strictObject({
  type: z.literal('oidc'),
  ...commonIssuerFields,
  issuer: z.url(),
  audience: z.array(z.string().min(1)).min(1),
  jwksUri: z.url(),
  algorithms: z.array(z.enum(signingAlgorithms)).min(1).default(['RS256', 'ES256']),
});

export const issuerSchema = z.discriminatedUnion('type', [cognitoIssuerSchema, oidcIssuerSchema]);

export type CognitoIssuerConfig = z.infer<typeof cognitoIssuerSchema>;
export type OidcIssuerConfig = z.infer<typeof oidcIssuerSchema>;
export type IssuerConfig = z.infer<typeof issuerSchema>;

export const jwksSchema = z.strictObject({
  /** Timeout of one JWKS fetch. */
  timeoutMs: z.number().int().positive().max(10_000).default(3000),
  /** The whole JWKS fetch, one retry with jitter included, ends within this. */
  totalTimeoutMs: z.number().int().positive().max(20_000).default(5000),
  /** A token with an unknown `kid` triggers at most one refetch per JWKS URI per interval. */
  refetchIntervalSeconds: z.number().int().positive().default(10),
});

export const authSchema = z.strictObject({
  /** Bearer tokens longer than this are rejected before any parsing. */
  maxTokenBytes: z.number().int().positive().default(8192),
  /**
   * Verified tokens are remembered (by their exact string) so that a reused token costs one
   * signature check; exp and nbf are re-checked on every use. maxEntries 0 turns it off.
   */
  verifiedTokenCache: z
    .strictObject({
      maxEntries: z.number().int().nonnegative().default(1000),
      maxAgeSeconds: z.number().int().positive().default(300),
      /**
       * Memory bound of the cache (tokens and principals, estimated): a stream of large
       * valid tokens cannot grow a container past this. 0 turns the cache off.
       */
      maxBytes: z
        .number()
        .int()
        .nonnegative()
        .default(4 * 1024 * 1024),
    })
    .prefault({}),
});
