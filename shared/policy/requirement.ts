import * as z from 'zod';

/**
 * A policy requirement, as written in config.
 *
 * Examples:
 *   { "authenticated": true }
 *   { "anyOf": [{ "group": "developers" }, { "group": "admins" }, { "scope": "run:echo" }] }
 *   { "allOf": [{ "group": "release-managers" }, { "scope": "gerrit:submit" }] }
 */
export type Requirement =
  | { authenticated: true }
  | { scope: string }
  | { group: string }
  | { anyOf: Requirement[] }
  | { allOf: Requirement[] };

export const requirementSchema: z.ZodType<Requirement> = z.lazy(() =>
  z.union([
    z.strictObject({ authenticated: z.literal(true) }),
    z.strictObject({ scope: z.string().min(1) }),
    z.strictObject({ group: z.string().min(1) }),
    z.strictObject({ anyOf: z.array(requirementSchema).min(1) }),
    z.strictObject({ allOf: z.array(requirementSchema).min(1) }),
  ]),
);

/** Human-readable form of a requirement, used in 403 bodies and /me. */
export function describeRequirement(requirement: Requirement): string {
  if ('authenticated' in requirement) return 'authenticated';
  if ('scope' in requirement) return `scope:${requirement.scope}`;
  if ('group' in requirement) return `group:${requirement.group}`;
  if ('anyOf' in requirement) {
    return requirement.anyOf.length === 1
      ? describeRequirement(requirement.anyOf[0] as Requirement)
      : `anyOf(${requirement.anyOf.map(describeRequirement).join(', ')})`;
  }
  return requirement.allOf.length === 1
    ? describeRequirement(requirement.allOf[0] as Requirement)
    : `allOf(${requirement.allOf.map(describeRequirement).join(', ')})`;
}
