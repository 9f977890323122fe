import type { CoreConfig } from '../config/schema';
import type { Requirement } from './requirement';

/** One thing a caller may be allowed to call: a route, and the target behind it if any. */
export interface PolicyTarget {
  route: string;
  target?: string;
  policy: Requirement;
  /** Gerrit groups also required; checked against Gerrit at request time. */
  gerritGroups?: string[];
}

/** Contributes a backend's routes and targets; each module of the registry is one. */
export interface CatalogSource {
  configKey: string;
  catalog(rawSection: unknown): PolicyTarget[];
}

/**
 * Every route and target that config exposes, with its policy; /me filters it per caller.
 * The backends come in as `sources` (the module registry), never by name.
 */
export function policyCatalog(
  config: Pick<CoreConfig, 'routes'>,
  sources: readonly CatalogSource[],
  rawDocument: Readonly<Record<string, unknown>>,
): PolicyTarget[] {
  const catalog: PolicyTarget[] = Object.entries(config.routes).map(([route, { policy }]) => ({
    route,
    policy,
  }));
  for (const source of sources) {
    const section = rawDocument[source.configKey];
    if (section !== undefined) catalog.push(...source.catalog(section));
  }
  return catalog;
}
