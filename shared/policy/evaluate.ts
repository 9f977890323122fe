import type { Principal } from '../auth/principal';
import { describeRequirement, type Requirement } from './requirement';

export type PolicyDecision = { allowed: true } | { allowed: false; missing: string };

/**
 * Evaluates a requirement against a principal. Deny by default: a requirement that is
 * absent (no policy configured) denies.
 */
export function evaluatePolicy(
  requirement: Requirement | undefined,
  principal: Principal,
): PolicyDecision {
  if (requirement === undefined) return { allowed: false, missing: 'a policy for this target' };
  return check(requirement, principal);
}

/**
 * The parts of a principal that policy reads, as one string: two principals with the same key
 * get the same decision from every requirement, so a decision may be kept by it. Change it
 * with `check` below.
 */
export function policyInputsKey(principal: Pick<Principal, 'kind' | 'groups' | 'scopes'>): string {
  return `${principal.kind}\u0000${principal.groups.join('\u0001')}\u0000${principal.scopes.join('\u0001')}`;
}

function check(requirement: Requirement, principal: Principal): PolicyDecision {
  if ('authenticated' in requirement) return { allowed: true };
  if ('scope' in requirement) {
    return principal.scopes.includes(requirement.scope)
      ? { allowed: true }
      : { allowed: false, missing: describeRequirement(requirement) };
  }
  if ('group' in requirement) {
    return principal.groups.includes(requirement.group)
      ? { allowed: true }
      : { allowed: false, missing: describeRequirement(requirement) };
  }
  if ('kind' in requirement) {
    return principal.kind === requirement.kind
      ? { allowed: true }
      : { allowed: false, missing: describeRequirement(requirement) };
  }
  if ('not' in requirement) {
    return check(requirement.not, principal).allowed
      ? { allowed: false, missing: describeRequirement(requirement) }
      : { allowed: true };
  }
  if ('anyOf' in requirement) {
    return requirement.anyOf.some((inner) => check(inner, principal).allowed)
      ? { allowed: true }
      : { allowed: false, missing: describeRequirement(requirement) };
  }
  for (const inner of requirement.allOf) {
    const decision = check(inner, principal);
    if (!decision.allowed) return decision;
  }
  return { allowed: true };
}
