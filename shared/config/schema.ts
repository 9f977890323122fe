import * as z from 'zod';
import { requirementSchema } from '../policy/requirement';
import { authSchema, issuerSchema, jwksSchema } from './issuers-schema';

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

/**
 * The core of the config, which every function validates: the gateway itself, its trusted
 * issuers, Secrets Manager, and the policy of routes without a backend. Each backend module's
 * section (cloudRun, spanner, gerrit, ...) has its own schema in the module's folder and is
 * validated only by that module's function.
 */
export const coreConfigShape = {
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
};

export const coreConfigSchema = z.strictObject(coreConfigShape);

export type CoreConfig = z.infer<typeof coreConfigSchema>;
