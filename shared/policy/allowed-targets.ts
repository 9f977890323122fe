import type { Principal } from '../auth/principal';
import type { PolicyTarget } from './catalog';
import { evaluatePolicy } from './evaluate';
import { describeRequirement } from './requirement';

export interface AllowedTarget {
  route: string;
  target?: string;
  /** The requirement the principal meets, for the curious. */
  policy: string;
  /** Gerrit groups still checked against Gerrit when the call is made. */
  gerritGroups?: string[];
}

/** The routes and targets of the catalog that policy lets this principal call. */
export function allowedTargets(
  catalog: readonly PolicyTarget[],
  principal: Principal,
): AllowedTarget[] {
  return catalog
    .filter((entry) => evaluatePolicy(entry.policy, principal).allowed)
    .map(({ route, target, policy, gerritGroups }) => ({
      route,
      ...(target ? { target } : {}),
      policy: describeRequirement(policy),
      ...(gerritGroups ? { gerritGroups } : {}),
    }));
}
