import type { GatewayConfig } from '../config/schema';
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
    catalog.push({ route: 'ANY /run/{service}/{proxy+}', target: name, policy: service.policy });
  }
  for (const [name, statement] of Object.entries(config.spanner?.statements ?? {})) {
    catalog.push({ route: 'POST /spanner/{query}', target: name, policy: statement.policy });
  }
  if (config.gerrit) {
    const gerritRoutes = {
      query: 'GET /gerrit/changes',
      get: 'GET /gerrit/changes/{id}',
      review: 'POST /gerrit/changes/{id}/revisions/{rev}/review',
      submit: 'POST /gerrit/changes/{id}/submit',
    } as const;
    for (const [name, route] of Object.entries(gerritRoutes)) {
      const routeConfig = config.gerrit.routes[name as keyof typeof gerritRoutes];
      catalog.push({
        route,
        policy: routeConfig.policy,
        ...(routeConfig.gerritGroups.length > 0 ? { gerritGroups: routeConfig.gerritGroups } : {}),
      });
    }
  }
  return catalog;
}
