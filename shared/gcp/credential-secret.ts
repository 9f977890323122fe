import * as z from 'zod/mini';
import { ConfigurationError } from '../errors';

// zod/mini: the same validators as zod (one core, the same issue codes) at a fifth of the
// bundle, since this runs in the run and spanner functions, whose cold start it is part of.

/**
 * The three shapes of the GCP credential secret, told apart by `type`. See docs/cloud-run.md.
 * Unknown keys of the two Google formats are kept: google-auth-library reads them.
 */

/** Workload Identity Federation from the Lambda's own AWS role (nothing secret in it). */
export const externalAccountSchema = z.looseObject({
  type: z.literal('external_account'),
  /** The workload identity pool provider: //iam.googleapis.com/projects/.../providers/... */
  audience: z.string().check(z.minLength(1)),
  subject_token_type: z.literal('urn:ietf:params:aws:token-type:aws4_request'),
  token_url: z.url(),
  /** crossgate always impersonates: ID tokens for Cloud Run need a service account. */
  service_account_impersonation_url: z
    .url()
    .check(
      z.regex(
        /\/v1\/projects\/-\/serviceAccounts\/[^/:]+:generateAccessToken$/,
        'an IAM Credentials generateAccessToken URL',
      ),
    ),
  credential_source: z.looseObject({
    environment_id: z.literal('aws1'),
    regional_cred_verification_url: z.string().check(z.minLength(1)),
  }),
});

/** A service-account key (rotated through Secrets Manager). */
export const serviceAccountSchema = z.looseObject({
  type: z.literal('service_account'),
  client_email: z.email(),
  private_key: z.string().check(z.includes('PRIVATE KEY')),
  private_key_id: z.optional(z.string().check(z.minLength(1))),
  project_id: z.optional(z.string().check(z.minLength(1))),
});

const expiresAt = z.iso.datetime({ offset: true });
const nonEmpty = z.string().check(z.minLength(1));

/** Tokens minted by a separate job, each with its expiry; crossgate only reads them. */
export const shortLivedTokensSchema = z.strictObject({
  type: z.literal('short_lived_tokens'),
  access_tokens: z._default(
    z.array(
      z.strictObject({
        token: nonEmpty,
        scopes: z.array(nonEmpty).check(z.minLength(1)),
        expires_at: expiresAt,
      }),
    ),
    [],
  ),
  id_tokens: z._default(
    z.array(
      z.strictObject({
        token: nonEmpty,
        audience: nonEmpty,
        expires_at: expiresAt,
      }),
    ),
    [],
  ),
});

export const gcpCredentialSchema = z.discriminatedUnion('type', [
  externalAccountSchema,
  serviceAccountSchema,
  shortLivedTokensSchema,
]);

export type ExternalAccountCredential = z.infer<typeof externalAccountSchema>;
export type ServiceAccountCredential = z.infer<typeof serviceAccountSchema>;
export type ShortLivedTokensCredential = z.infer<typeof shortLivedTokensSchema>;
export type GcpCredential = z.infer<typeof gcpCredentialSchema>;

/**
 * Parser for SecretCache.getJson. Errors name the secret's bad keys, never their values.
 *
 * @example
 *   const credential = await secrets.getJson(secretId, gcpCredentialParser(secretId));
 */
export function gcpCredentialParser(secretId: string): (raw: unknown) => GcpCredential {
  return (raw) => {
    const result = gcpCredentialSchema.safeParse(raw);
    if (result.success) return result.data;
    const keys = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'} (${issue.code})`,
    );
    throw new ConfigurationError(
      `secret ${secretId} is not a GCP credential of a supported type: ${keys.join(', ')}`,
    );
  };
}
