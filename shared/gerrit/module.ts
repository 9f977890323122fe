import * as z from 'zod';
import { InvalidConfigError } from '../config/load-config';
import type { GatewayModule } from '../modules/gateway-module';
import type { PolicyTarget } from '../policy/catalog';
import { requirementSchema } from '../policy/requirement';

/** The one route of the gerrit function: Gerrit's REST API under the client's base URL `/gerrit`. */
export const GERRIT_ROUTE = 'ANY /gerrit/a/{proxy+}';

const endpointPoliciesView = z.looseObject({
  endpoints: z.array(
    z.looseObject({
      method: z.string(),
      path: z.string(),
      policy: requirementSchema,
      gerritGroups: z.array(z.string()).default([]),
    }),
  ),
});

/** Each configured Gerrit endpoint (`GET /a/changes/`) with its policy and Gerrit groups. */
function gerritCatalog(rawSection: unknown): PolicyTarget[] {
  const result = endpointPoliciesView.safeParse(rawSection);
  if (!result.success) {
    throw new InvalidConfigError(
      result.error.issues.map(
        (issue) => `${['gerrit', ...issue.path].join('.')}: ${issue.message}`,
      ),
    );
  }
  return result.data.endpoints.map(({ method, path, policy, gerritGroups }) => ({
    route: GERRIT_ROUTE,
    target: `${method} /a${path}`,
    policy,
    ...(gerritGroups.length > 0 ? { gerritGroups } : {}),
  }));
}

/** Gerrit: `config.gerrit`, served by the `gerrit` function. */
export const gerritModule = {
  configKey: 'gerrit',
  functionName: 'gerrit',
  routes: [GERRIT_ROUTE],
  catalog: gerritCatalog,
} as const satisfies GatewayModule<'gerrit'>;
