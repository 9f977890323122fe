import { NotFoundError } from '../errors';
import { withinTimeout } from '../http/outbound-call';
import type { TargetResolver } from '../middleware/authorization';
import type { GatewayRequest } from '../middleware/request-state';
import type { GerritConfig, GerritEndpointConfig } from './config-schema';
import { endpointMatcher } from './endpoint-router';
import { requireGerritAccount } from './gerrit-account';
import type { GerritCall } from './gerrit-client';
import type { KnownGerritEndpoint } from './gerrit-endpoints';
import { buildGerritPath, gerritPathOf, pathParameter } from './gerrit-request-path';
import { gerritQuery } from './query-params';

/** A Gerrit endpoint from config and the call it stands for, resolved once per request. */
export interface GerritTarget {
  /** The config entry: its policy and Gerrit groups. */
  endpoint: GerritEndpointConfig;
  /** What the gateway knows of it: kind, documented parameters. */
  known: KnownGerritEndpoint;
  /** Path parameters, decoded once and checked (`id`, `rev`, `file`, `group`). */
  params: Readonly<Record<string, string>>;
  /** Gerrit's path after `/a`, encoded for Gerrit. */
  path: string;
  /** The checked query, `n` capped for Query Changes. */
  query: URLSearchParams;
}

/**
 * Resolves `ANY /gerrit/a/{proxy+}` to a configured endpoint. A path with a `.`/`..` segment
 * in any encoding is 400; a method and path not on the allowlist is 404 (not 403, so the list
 * cannot be probed); bad ids or query parameters are 400, before any policy or Gerrit call.
 */
export function gerritTarget(gerrit: GerritConfig): TargetResolver<GerritTarget> {
  const match = endpointMatcher(gerrit.endpoints);
  return (event) => {
    const method = event.requestContext?.http?.method ?? '';
    const rawPath = gerritPathOf(event.rawPath ?? '');
    const found = match(method, rawPath);
    if (!found) {
      throw new NotFoundError(
        `${method} /a${rawPath} is not a Gerrit endpoint this gateway serves`,
      );
    }
    const params: Record<string, string> = {};
    for (const [name, raw] of Object.entries(found.rawParams)) {
      params[name] = pathParameter(name, raw);
    }
    const path = buildGerritPath(found.known.path, params);
    const query = gerritQuery(found.known, event.rawQueryString, gerrit.maxChanges);
    return {
      target: { endpoint: found.config, known: found.known, params, path, query },
      name: `${found.known.method} /a${found.known.path}`,
      policy: found.config.policy,
    };
  };
}

/** Time kept back from the Lambda's remaining time, to answer with a problem instead of dying. */
export const GERRIT_LAMBDA_MARGIN_MS = 300;

/**
 * Runs `work` with the Gerrit call for this request: as the caller, in its trace, within
 * Gerrit's timeout by one timer that is cleared when the work is over (`withinTimeout`).
 */
export function withCallerCall<T>(
  request: Pick<GatewayRequest<GerritTarget>, 'principal' | 'call' | 'audit'>,
  gerrit: GerritConfig,
  work: (call: GerritCall) => Promise<T>,
): Promise<T> {
  const runAs = requireGerritAccount(request.principal, gerrit.account);
  request.audit.gerritAccount = runAs;
  return withinTimeout(request.call, gerrit.timeoutMs, (call) => work({ ...call, runAs }));
}
