import type { PrincipalKind } from '../auth/principal';

/** The kinds of caller a requirement can name (shared/auth/principal.ts). */
export const principalKinds = ['person', 'machine', 'agent'] as const satisfies PrincipalKind[];

/**
 * A policy requirement, as written in config.
 *
 * Examples:
 *   { "authenticated": true }
 *   { "anyOf": [{ "group": "developers" }, { "group": "admins" }, { "scope": "run:echo" }] }
 *   { "allOf": [{ "group": "release-managers" }, { "scope": "gerrit:submit" }] }
 *   { "kind": "agent" }                                  only AI agents
 *   { "allOf": [{ "group": "admins" }, { "not": { "kind": "agent" } }] }   admins, never agents
 *
 * `not` negates any requirement; with `kind` it excludes a kind of caller. A `not` alone can
 * never stand as a whole policy that allows almost everyone by accident: it is a requirement
 * like any other, and deny by default still applies to targets with no policy.
 */
export type Requirement =
  | { authenticated: true }
  | { scope: string }
  | { group: string }
  | { kind: PrincipalKind }
  | { not: Requirement }
  | { anyOf: Requirement[] }
  | { allOf: Requirement[] };

/** Human-readable form of a requirement, used in 403 bodies and /me. */
export function describeRequirement(requirement: Requirement): string {
  if ('authenticated' in requirement) return 'authenticated';
  if ('scope' in requirement) return `scope:${requirement.scope}`;
  if ('group' in requirement) return `group:${requirement.group}`;
  if ('kind' in requirement) return `kind:${requirement.kind}`;
  if ('not' in requirement) return `not(${describeRequirement(requirement.not)})`;
  if ('anyOf' in requirement) {
    return requirement.anyOf.length === 1
      ? describeRequirement(requirement.anyOf[0] as Requirement)
      : `anyOf(${requirement.anyOf.map(describeRequirement).join(', ')})`;
  }
  return requirement.allOf.length === 1
    ? describeRequirement(requirement.allOf[0] as Requirement)
    : `allOf(${requirement.allOf.map(describeRequirement).join(', ')})`;
}
