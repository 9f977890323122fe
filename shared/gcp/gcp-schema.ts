import * as z from 'zod';

/**
 * How crossgate authenticates to Google: the Secrets Manager secret that holds the credential
 * (one of three shapes, see docs/cloud-run.md) and how its tokens are cached.
 */
export const gcpSchema = z.strictObject({
  /** Secrets Manager id of the GCP credential (external_account, service_account or minted tokens). */
  credentialsSecretId: z.string().min(1),
  /** Tokens are reused until this long before they expire, then minted again. */
  refreshMarginSeconds: z.number().int().nonnegative().max(3000).default(300),
  /** Upper bound of one mint (STS + IAM Credentials, or the OAuth2 JWT grant), retries included. */
  mintTimeoutMs: z.number().int().positive().max(60_000).default(5000),
  /** Ask IAM Credentials for the `email` claim in ID tokens (Cloud Run backends often want it). */
  idTokenIncludeEmail: z.boolean().default(true),
  /**
   * Where Google's fixed OAuth2 endpoint (https://oauth2.googleapis.com, used by
   * google-auth-library for service-account keys) really is. Absent in AWS; the local Google
   * stand-in offline. Only the URL changes: requests, signatures and checks stay the same.
   */
  oauth2Url: z.url().optional(),
});

export type GcpConfig = z.infer<typeof gcpSchema>;
