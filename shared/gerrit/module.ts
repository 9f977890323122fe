import type { GatewayModule } from '../modules/gateway-module';
import { objectAt } from '../modules/catalog-view';
import type { PolicyTarget } from '../policy/catalog';
import type { Requirement } from '../policy/requirement';

/** The one route of the gerrit function: Gerrit's REST API under the client's base URL `/gerrit`. */
export const GERRIT_ROUTE = 'ANY /gerrit/a/{proxy+}';

/**
 * Each configured Gerrit endpoint (`GET /a/changes/`) with its policy and Gerrit groups. The
 * section is the compiled config's, validated when it was compiled.
 */
function gerritCatalog(section: unknown): PolicyTarget[] {
  const endpoints = objectAt(section, 'gerrit').endpoints;
  if (!Array.isArray(endpoints)) return [];
  return endpoints.map((raw, index) => {
    const endpoint = objectAt(raw, `gerrit.endpoints[${index}]`);
    const gerritGroups = (endpoint.gerritGroups as string[] | undefined) ?? [];
    return {
      route: GERRIT_ROUTE,
      target: `${String(endpoint.method)} /a${String(endpoint.path)}`,
      policy: endpoint.policy as Requirement,
      ...(gerritGroups.length > 0 ? { gerritGroups } : {}),
    };
  });
}

/** Gerrit: `config.gerrit`, served by the `gerrit` function. */
export const gerritModule = {
  configKey: 'gerrit',
  functionName: 'gerrit',
  routes: [GERRIT_ROUTE],
  catalog: gerritCatalog,
} as const satisfies GatewayModule<'gerrit'>;
