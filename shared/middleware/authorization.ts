import type { Principal } from '../auth/principal';
import type { GatewayConfig } from '../config/schema';
import { ForbiddenError, InternalError } from '../errors';
import { evaluatePolicy } from '../policy/evaluate';
import type { Requirement } from '../policy/requirement';
import {
  requestState,
  type GatewayContext,
  type GatewayEvent,
  type GatewayMiddleware,
  type GatewayRequest,
} from './request-state';

export interface ResolvedTarget {
  /** What the caller asks for: a service, a statement, a change. Absent for /me. */
  target?: string;
  /** The policy that guards it; undefined denies. */
  policy: Requirement | undefined;
}

/**
 * Finds the target and its policy for a request. Throws NotFoundError (or another
 * GatewayError) for a target that config does not name, before any backend is touched.
 */
export type TargetResolver = (event: GatewayEvent, config: GatewayConfig) => ResolvedTarget;

export interface AuthorizationOptions {
  config: GatewayConfig;
  resolveTarget: TargetResolver;
  /**
   * Extra checks after policy allowed, e.g. Gerrit group membership; throw ForbiddenError to
   * deny. They get the request context for its deadline, correlation id and resolved target.
   */
  additionalChecks?: ((
    principal: Principal,
    event: GatewayEvent,
    context: GatewayContext,
  ) => Promise<void>)[];
}

/** Deny by default: a route or target without a policy is forbidden. */
export function authorization(options: AuthorizationOptions): GatewayMiddleware {
  const authorizationBefore = async (request: GatewayRequest): Promise<void> => {
    const state = requestState(request);
    const principal = state.principal;
    if (!principal) throw new InternalError('authorization ran without a principal');

    state.decision = 'deny';
    const { target, policy } = options.resolveTarget(request.event, options.config);
    state.target = target;
    const decision = evaluatePolicy(policy, principal);
    if (!decision.allowed) {
      const what = target ? `${state.route} on ${target}` : state.route;
      throw new ForbiddenError(`${what} requires ${decision.missing}`, decision.missing);
    }
    for (const check of options.additionalChecks ?? []) {
      await check(principal, request.event, request.context);
    }
    state.decision = 'allow';
  };

  return { before: authorizationBefore };
}
