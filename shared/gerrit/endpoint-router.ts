import type { GerritEndpointConfig } from './config-schema';
import {
  knownGerritEndpoint,
  normalizeEndpointPath,
  type KnownGerritEndpoint,
} from './gerrit-endpoints';

/** A configured endpoint a request matched, with its raw (still encoded) path parameters. */
export interface EndpointMatch {
  config: GerritEndpointConfig;
  known: KnownGerritEndpoint;
  rawParams: Record<string, string>;
}

export type EndpointMatcher = (method: string, gerritPath: string) => EndpointMatch | undefined;

/**
 * Matches a method and Gerrit path (after `/a`) against the configured endpoints, compiled
 * once per container into one table keyed by method.
 *
 * Written by hand, and why: @middy/http-router has the same rules (`{name}` is one segment, a
 * trailing slash is optional) but is typed as a Lambda handler that needs a Lambda context and
 * answers a promise, while the gateway resolves a request's target synchronously inside its
 * authorization step; this is the same regex construction in a dozen lines, with no cast.
 *
 * @example
 *   const match = endpointMatcher(config.gerrit.endpoints)('GET', '/changes/demo~1/detail');
 */
export function endpointMatcher(endpoints: readonly GerritEndpointConfig[]): EndpointMatcher {
  const table = new Map<
    string,
    { pattern: RegExp; config: GerritEndpointConfig; known: KnownGerritEndpoint }[]
  >();
  for (const config of endpoints) {
    const known = knownGerritEndpoint(config.method, config.path);
    // The config schema refused unknown endpoints; nothing to route for one here.
    if (!known) continue;
    const source = normalizeEndpointPath(known.path)
      .split('/')
      .map((segment) => {
        const parameter = /^\{([a-z]+)\}$/.exec(segment);
        return parameter
          ? `(?<${parameter[1]}>[^/]+)`
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    const routes = table.get(known.method) ?? [];
    routes.push({ pattern: new RegExp(`^${source}/?$`), config, known });
    table.set(known.method, routes);
  }
  return (method, gerritPath) => {
    for (const route of table.get(method) ?? []) {
      const match = route.pattern.exec(gerritPath);
      if (match)
        return { config: route.config, known: route.known, rawParams: { ...match.groups } };
    }
    return undefined;
  };
}
