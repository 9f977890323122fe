import type { Principal } from '../auth/principal';
import type { GerritAccountConfig } from './config-schema';
import { ForbiddenError } from '../errors';

/**
 * The Gerrit account a caller acts as (`X-Gerrit-RunAs`), or undefined when it has none:
 * the configured principal claim, looked up in the mapping table first.
 *
 * @example
 *   gerritAccountFor(principal, { claim: 'username', map: { 'ci-bot': 'jenkins' }, unmapped: 'passthrough' })
 */
export function gerritAccountFor(
  principal: Principal,
  config: GerritAccountConfig,
): string | undefined {
  const value = principal[config.claim];
  if (typeof value !== 'string' || value === '') return undefined;
  if (Object.hasOwn(config.map, value)) return config.map[value] ?? undefined;
  return config.unmapped === 'passthrough' ? value : undefined;
}

/** Like gerritAccountFor, but a caller without an account is refused before Gerrit is called. */
export function requireGerritAccount(principal: Principal, config: GerritAccountConfig): string {
  const account = gerritAccountFor(principal, config);
  if (account === undefined) {
    throw new ForbiddenError(
      `${principal.username ?? principal.subject} has no Gerrit account; crossgate never calls Gerrit as its service account on a caller's behalf`,
      'gerrit-account',
    );
  }
  return account;
}
