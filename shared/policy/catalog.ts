import type { GatewayConfig } from '../config/schema';
import { GERRIT_ROUTES, RUN_ROUTE, SPANNER_ROUTE } from '../route-keys';
import type { Requirement } from './requirement';

/** One thing a caller may be allowed to call: a route, and the target behind it if any. */
export interface PolicyTarget {
  route: string;
  target?: string;
  policy: Requirement;
  /** Gerrit groups also required; checked against Gerrit at request time. */
  gerritGroups?: string[];
}

/** Every route and target that config exposes, with its policy; /me filters it per caller. */
export function policyCatalog(config: GatewayConfig): PolicyTarget[] {
  const catalog: PolicyTarget[] = Object.entries(config.routes).map(([route, { policy }]) => ({
    route,
    policy,
  }));
  for (const [name, service] of Object.entries(config.cloudRun?.services ?? {})) {
    catalog.push({ route: RUN_ROUTE, target: name, policy: service.policy });
  }
  for (const [name, statement] of Object.entries(config.spanner?.statements ?? {})) {
    catalog.push({ route: SPANNER_ROUTE, target: name, policy: statement.policy });
  }
  if (config.gerrit) {
    for (const [name, route] of Object.entries(GERRIT_ROUTES)) {
      const routeConfig = config.gerrit.routes[name as keyof typeof GERRIT_ROUTES];
      catalog.push({
        route,
        policy: routeConfig.policy,
        ...(routeConfig.gerritGroups.length > 0 ? { gerritGroups: routeConfig.gerritGroups } : {}),
      });
    }
  }
  return catalog;
}
