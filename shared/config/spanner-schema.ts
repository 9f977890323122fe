import { z } from 'zod';
import { requirementSchema } from '../policy/requirement';

/** Named Spanner statements reachable through `POST /spanner/{query}`. No other SQL runs. */
export const spannerStatementSchema = z.strictObject({
  sql: z.string().min(1),
  /** Spanner type of each `@param`, e.g. INT64, STRING, ARRAY<INT64>. */
  params: z.record(z.string(), z.string()).default({}),
  mode: z.enum(['read', 'write']),
  policy: requirementSchema,
  rowLimit: z.number().int().positive().default(1000),
});

export const spannerSchema = z.strictObject({
  projectId: z.string().min(1),
  instanceId: z.string().min(1),
  databaseId: z.string().min(1),
  statements: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/), spannerStatementSchema),
});

export type SpannerConfig = z.infer<typeof spannerSchema>;
