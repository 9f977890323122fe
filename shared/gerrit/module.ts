import * as z from 'zod';
import { InvalidConfigError } from '../config/load-config';
import type { GatewayModule } from '../modules/gateway-module';
import type { PolicyTarget } from '../policy/catalog';
import { requirementSchema } from '../policy/requirement';

/** Route keys of the gerrit function, by the name of their policy in config. */
export const GERRIT_ROUTES = {
  query: 'GET /gerrit/changes',
  get: 'GET /gerrit/changes/{id}',
  review: 'POST /gerrit/changes/{id}/revisions/{rev}/review',
  submit: 'POST /gerrit/changes/{id}/submit',
} as const;

export type GerritRouteKey = keyof typeof GERRIT_ROUTES;

const routePoliciesView = z.looseObject({
  routes: z.record(
    z.string(),
    z.looseObject({
      policy: requirementSchema,
      gerritGroups: z.array(z.string()).default([]),
    }),
  ),
});

/** Each configured Gerrit route with its policy and the Gerrit groups it also requires. */
function gerritCatalog(rawSection: unknown): PolicyTarget[] {
  const result = routePoliciesView.safeParse(rawSection);
  if (!result.success) {
    throw new InvalidConfigError(
      result.error.issues.map(
        (issue) => `${['gerrit', ...issue.path].join('.')}: ${issue.message}`,
      ),
    );
  }
  return Object.entries(GERRIT_ROUTES).flatMap(([name, route]) => {
    const routeConfig = result.data.routes[name];
    if (!routeConfig) return [];
    const { policy, gerritGroups } = routeConfig;
    return [{ route, policy, ...(gerritGroups.length > 0 ? { gerritGroups } : {}) }];
  });
}

/** Gerrit: `config.gerrit`, served by the `gerrit` function. */
export const gerritModule = {
  configKey: 'gerrit',
  functionName: 'gerrit',
  routes: Object.values(GERRIT_ROUTES),
  catalog: gerritCatalog,
} as const satisfies GatewayModule<'gerrit'>;
