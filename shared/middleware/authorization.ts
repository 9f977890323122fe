import type { Requirement } from '../policy/requirement';
import { ForbiddenError, InternalError } from '../errors';
import { evaluatePolicy } from '../policy/evaluate';
import {
  requestStateOf,
  type GatewayEvent,
  type GatewayMiddleware,
  type GatewayMiddlewareRequest,
  type GatewayRequest,
} from './request-state';

export interface ResolvedTarget<Target> {
  /** The target object from config the handler gets (service, statement, Gerrit route). */
  target: Target;
  /** Its name for audit and 403s; absent when the route has no target of its own. */
  name?: string;
  /** The policy that guards it; undefined denies. */
  policy: Requirement | undefined;
}

/**
 * Finds a request's target in config, once. Throws NotFoundError (or another GatewayError) for
 * a target that config does not name, before any backend is touched.
 */
export type TargetResolver<Target> = (event: GatewayEvent) => ResolvedTarget<Target>;

/**
 * A check after policy allowed, e.g. Gerrit group membership; throws ForbiddenError to deny.
 * It sees the same request value the route handler will.
 */
export type AdditionalCheck<Target> = (request: GatewayRequest<Target>) => Promise<void>;

export interface AuthorizationOptions<Target> {
  resolveTarget: TargetResolver<Target>;
  additionalChecks?: readonly AdditionalCheck<Target>[];
}

/** Deny by default: a route or target without a policy is forbidden. */
export function authorization<Target>(options: AuthorizationOptions<Target>): GatewayMiddleware {
  const authorizationBefore = async (request: GatewayMiddlewareRequest): Promise<void> => {
    const state = requestStateOf(request.context);
    const principal = state.principal;
    if (!principal) throw new InternalError('authorization ran without a principal');

    state.decision = 'deny';
    const { target, name, policy } = options.resolveTarget(request.event);
    state.targetName = name;
    state.target = target;
    const decision = evaluatePolicy(policy, principal);
    if (!decision.allowed) {
      const what = name ? `${state.route} on ${name}` : state.route;
      throw new ForbiddenError(`${what} requires ${decision.missing}`, decision.missing);
    }
    if (options.additionalChecks?.length) {
      const value: GatewayRequest<Target> = {
        event: request.event,
        principal,
        target,
        call: state.call,
        audit: state.audit,
      };
      for (const check of options.additionalChecks) await check(value);
    }
    state.decision = 'allow';
  };

  return { before: authorizationBefore };
}
