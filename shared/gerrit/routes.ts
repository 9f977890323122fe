import { ValidationError } from '../errors';
import type { OutboundCall } from '../http/outbound-call';
import { withTimeout } from '../http/outbound-call';
import type { TargetResolver } from '../middleware/authorization';
import type { GatewayEvent, GatewayRequest } from '../middleware/request-state';
import type { GerritConfig, GerritRouteConfig } from './config-schema';
import { requireGerritAccount } from './gerrit-account';
import type { GerritCall } from './gerrit-client';
import { decodeIdentifier } from './gerrit-path';
import type { GerritRouteKey } from './module';

/** A Gerrit route from config and the change (and revision) it names, resolved once. */
export interface GerritTarget {
  route: GerritRouteKey;
  config: GerritRouteConfig;
  changeId?: string;
  revisionId?: string;
}

/** A change id or revision id from the path, decoded once and checked for sanity. */
export function pathIdentifier(event: GatewayEvent, name: 'id' | 'rev'): string {
  const raw = event.pathParameters?.[name];
  const value = raw === undefined ? undefined : decodeIdentifier(raw);
  if (value === undefined || value === '' || value.length > 512 || hasControlCharacter(value)) {
    throw new ValidationError(`the ${name === 'id' ? 'change' : 'revision'} id is invalid`, [
      { name: `params.${name}`, reason: 'must be a Gerrit identifier of 1 to 512 characters' },
    ]);
  }
  return value;
}

/** Policy of a gerrit route from config; the target is the change (and revision) asked for. */
export function gerritTarget(
  gerrit: GerritConfig,
  route: GerritRouteKey,
): TargetResolver<GerritTarget> {
  const config = gerrit.routes[route];
  return (event) => {
    if (route === 'query') return { target: { route, config }, policy: config.policy };
    const changeId = pathIdentifier(event, 'id');
    const revisionId = route === 'review' ? pathIdentifier(event, 'rev') : undefined;
    return {
      target: { route, config, changeId, ...(revisionId ? { revisionId } : {}) },
      name: revisionId ? `${changeId}/revisions/${revisionId}` : changeId,
      policy: config.policy,
    };
  };
}

/** Time kept back from the Lambda's remaining time, to answer with a problem instead of dying. */
export const GERRIT_LAMBDA_MARGIN_MS = 300;

/** The Gerrit call for this request: as the caller, within Gerrit's timeout, in its trace. */
export function callerCall(
  request: Pick<GatewayRequest<GerritTarget>, 'principal' | 'call' | 'audit'>,
  gerrit: GerritConfig,
): GerritCall {
  const runAs = requireGerritAccount(request.principal, gerrit.account);
  request.audit.gerritAccount = runAs;
  const call: OutboundCall = withTimeout(request.call, gerrit.timeoutMs);
  return { ...call, runAs };
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((character) => (character.codePointAt(0) ?? 0) < 0x20);
}
