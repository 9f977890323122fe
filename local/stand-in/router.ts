import { StandInError } from './errors';

/** One entry of a stand-in's route table: method, path pattern and its handler. */
export interface Route<H> {
  method: string;
  /** Path with `:name` segments, e.g. `/changes/:change/revisions/:revision/review`. */
  path: string;
  handler: H;
}

export type RouteMatch<H> =
  | { handler: H; params: Record<string, string> }
  /** `methodMismatch`: the path exists for another method. */
  | { handler?: undefined; methodMismatch: boolean };

interface Compiled<H> {
  route: Route<H>;
  segments: string[];
}

/**
 * A route table. Written by hand (about 40 lines) rather than taken from a router library
 * because Gerrit's ids carry encoded slashes (`team%2Ftools~7`): segments must be split on
 * the raw path and decoded one by one, which path-decoding routers get wrong.
 *
 * @example
 * const router = new Router([{ method: 'GET', path: '/changes/:change', handler }]);
 * router.match('GET', '/changes/demo~1'); // { handler, params: { change: 'demo~1' } }
 */
export class Router<H> {
  private readonly compiled: Compiled<H>[];

  constructor(routes: Route<H>[]) {
    this.compiled = routes.map((route) => ({ route, segments: split(route.path) }));
  }

  match(method: string, rawPath: string): RouteMatch<H> {
    const segments = split(rawPath);
    let methodMismatch = false;
    for (const { route, segments: pattern } of this.compiled) {
      const params = matchSegments(pattern, segments);
      if (!params) continue;
      if (route.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { handler: route.handler, params };
    }
    return { methodMismatch };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index];
    if (segment === undefined) return null;
    if (part.startsWith(':')) params[part.slice(1)] = decodeSegment(segment);
    else if (part !== segment) return null;
  }
  return pattern.length === segments.length ? params : null;
}

/** One path segment, percent-decoded; a malformed escape is the client's error (400). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new StandInError(400, `Invalid URL encoding: ${segment}`);
  }
}
