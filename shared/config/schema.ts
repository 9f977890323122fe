import * as z from 'zod';
import { requirementSchema } from '../policy/requirement';
import { cloudRunSchema } from './cloud-run-schema';
import { gcpSchema } from './gcp-schema';
import { gerritSchema } from './gerrit-schema';
import { authSchema, issuerSchema, jwksSchema } from './issuers-schema';
import { spannerSchema } from './spanner-schema';

/** Routes that have no backend target of their own (GET /me). */
const routePolicySchema = z.strictObject({ policy: requirementSchema });

export const awsSchema = z.strictObject({
  region: z.string().min(1).default('us-east-1'),
  /** Endpoint override for Secrets Manager (moto offline); the SDK default when absent. */
  endpoint: z.url().optional(),
});

export const secretsSchema = z.strictObject({
  /** How long a secret value is served from the container's cache. */
  ttlSeconds: z.number().int().positive().default(300),
  /** How long past its TTL the last good value is served while Secrets Manager fails. */
  staleGraceSeconds: z.number().int().nonnegative().default(900),
});

export const configSchema = z.strictObject({
  service: z.strictObject({ name: z.string().min(1).default('crossgate') }).prefault({}),
  issuers: z
    .array(z.lazy(() => issuerSchema))
    .min(1)
    .refine((issuers) => new Set(issuers.map((i) => i.name)).size === issuers.length, {
      message: 'issuer names must be unique',
    }),
  jwks: jwksSchema.prefault({}),
  auth: authSchema.prefault({}),
  aws: awsSchema.prefault({}),
  secrets: secretsSchema.prefault({}),
  routes: z.record(z.string().regex(/^(GET|POST|PUT|PATCH|DELETE|ANY) \/\S*$/), routePolicySchema),
  gcp: gcpSchema.optional(),
  cloudRun: cloudRunSchema.optional(),
  spanner: spannerSchema.optional(),
  gerrit: gerritSchema.optional(),
});

export type GatewayConfig = z.infer<typeof configSchema>;
