import { z } from 'zod';
import { requirementSchema } from '../policy/requirement';

/** Cloud Run services reachable through `ANY /run/{service}/{proxy+}`. */
export const cloudRunServiceSchema = z.strictObject({
  /** Service URL; also the audience of the Google ID token crossgate mints for it. */
  url: z.url(),
  /** Methods callers may use; anything else is 405. */
  methods: z
    .array(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']))
    .min(1)
    .default(['GET']),
  policy: requirementSchema,
  /** Upper bound of one call, retries included; the Lambda's remaining time may cut it shorter. */
  timeoutMs: z.number().int().positive().max(900_000).default(10_000),
});

export const cloudRunSchema = z.strictObject({
  services: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,62}$/), cloudRunServiceSchema),
});

export type CloudRunConfig = z.infer<typeof cloudRunSchema>;
export type CloudRunServiceConfig = z.infer<typeof cloudRunServiceSchema>;
