import * as z from 'zod';
import { assertionSchema } from '../assertion/config-schema';
import { retirementWindowSeconds } from '../assertion/jwks';
import { requirementSchema } from '../policy/requirement-schema';
import { authSchema, issuerSchema, jwksSchema } from './issuers-schema';

/** Routes that have no backend target of their own (GET /me). */
const routePolicySchema = z.strictObject({ policy: requirementSchema });

export const awsSchema = z.strictObject({
  region: z.string().min(1).default('us-east-1'),
  /** Endpoint override for Secrets Manager (moto offline); the SDK default when absent. */
  endpoint: z.url().optional(),
});

export const secretsSchema = z.strictObject({
  /**
   * How long a secret value is served from the container's cache. A number, or a string of
   * digits from an `${env:}` placeholder (a stage parameter).
   */
  ttlSeconds: z.coerce.number().int().positive().default(300),
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
  assertion: assertionSchema,
};

/**
 * A retired assertion key must stay published while anything it signed may still be in use:
 * the assertion lifetime plus the time a warm container keeps the old key set (TTL and grace).
 */
export function checkRetirementWindow(
  config: Pick<CoreConfig, 'assertion' | 'secrets'>,
  ctx: z.RefinementCtx,
): void {
  const floor = retirementWindowSeconds({
    lifetimeSeconds: config.assertion.lifetimeSeconds,
    secretTtlSeconds: config.secrets.ttlSeconds,
    secretStaleGraceSeconds: config.secrets.staleGraceSeconds,
  });
  if (config.assertion.retiredPublishSeconds < floor) {
    ctx.addIssue({
      code: 'custom',
      path: ['assertion', 'retiredPublishSeconds'],
      message: `must be at least ${floor} (assertion lifetime + secrets ttl + stale grace)`,
    });
  }
}

export const coreConfigSchema = z.strictObject(coreConfigShape).superRefine(checkRetirementWindow);

export type CoreConfig = z.infer<z.ZodObject<typeof coreConfigShape>>;
