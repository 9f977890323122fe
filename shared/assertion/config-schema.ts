import * as z from 'zod';

/**
 * The signed caller assertion (`x-crossgate-assertion`) and its published keys: part of the
 * core, because the JWKS route serves it without any backend and the Cloud Run module signs
 * with it.
 */
export const assertionSchema = z.strictObject({
  /** `iss` of every assertion: the gateway's own URL (its custom domain in AWS). */
  issuerUrl: z.url(),
  /** Secrets Manager id of the key set (`npm run keys`; docs/cloud-run.md, rotation). */
  keysSecretId: z.string().min(1),
  /** Lifetime of one assertion; reused while more than half of it is left. */
  lifetimeSeconds: z.number().int().min(30).max(3600).default(300),
  /** How long a retired key stays in the JWKS after it stopped signing. */
  retiredPublishSeconds: z.number().int().positive().default(3600),
  /** `Cache-Control: max-age` of the JWKS route. */
  jwksMaxAgeSeconds: z.number().int().nonnegative().max(86_400).default(300),
});

export type AssertionConfig = z.infer<typeof assertionSchema>;
