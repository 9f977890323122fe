import type { GerritConfig, GerritRouteName } from '../../shared/config/gerrit-schema';
import type { GatewayConfig } from '../../shared/config/schema';
import { childTraceparent } from '../../shared/correlation/trace-context';
import { ConfigurationError, ValidationError } from '../../shared/errors';
import { requireGerritAccount } from '../../shared/gerrit/gerrit-account';
import type { GerritCall } from '../../shared/gerrit/gerrit-client';
import { decodeIdentifier } from '../../shared/gerrit/gerrit-path';
import { invocationDeadline } from '../../shared/deadline';
import type { TargetResolver } from '../../shared/middleware/authorization';
import {
  requirePrincipal,
  type GatewayContext,
  type GatewayEvent,
} from '../../shared/middleware/request-state';

/** Time kept back from the Lambda's remaining time, to answer with a problem instead of dying. */
const GERRIT_MARGIN_MS = 300;

export function gerritConfig(config: GatewayConfig): GerritConfig {
  if (!config.gerrit) throw new ConfigurationError('the config has no gerrit section');
  return config.gerrit;
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
export function gerritTarget(route: GerritRouteName): TargetResolver {
  return (event, config) => {
    const policy = gerritConfig(config).routes[route].policy;
    if (route === 'query') return { policy };
    const change = pathIdentifier(event, 'id');
    const target =
      route === 'review' ? `${change}/revisions/${pathIdentifier(event, 'rev')}` : change;
    return { target, policy };
  };
}

/** The Gerrit call for this request: as the caller, within the Lambda's time, in its trace. */
export function callerCall(context: GatewayContext, config: GerritConfig): GerritCall {
  const { correlation, audit } = context.crossgate;
  const runAs = requireGerritAccount(requirePrincipal(context), config.account);
  audit.gerritAccount = runAs;
  return {
    runAs,
    deadline: invocationDeadline(context, config.timeoutMs, GERRIT_MARGIN_MS),
    correlationId: correlation.correlationId,
    traceparent: childTraceparent(correlation.trace),
  };
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((character) => (character.codePointAt(0) ?? 0) < 0x20);
}
