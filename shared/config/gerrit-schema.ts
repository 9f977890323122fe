import { z } from 'zod';
import { requirementSchema } from '../policy/requirement';

const gerritRouteSchema = z.strictObject({
  policy: requirementSchema,
  /** Gerrit groups the caller must also belong to, checked through Gerrit's groups API. */
  gerritGroups: z.array(z.string().min(1)).default([]),
});

/** The Gerrit server and the policy of each `/gerrit/...` route. */
export const gerritSchema = z.strictObject({
  baseUrl: z.url(),
  /** Secrets Manager id of the service account's HTTP credentials. */
  credentialsSecretId: z.string().min(1),
  routes: z.strictObject({
    query: gerritRouteSchema,
    get: gerritRouteSchema,
    review: gerritRouteSchema,
    submit: gerritRouteSchema,
  }),
});

export type GerritConfig = z.infer<typeof gerritSchema>;
export type GerritRouteName = keyof GerritConfig['routes'];
