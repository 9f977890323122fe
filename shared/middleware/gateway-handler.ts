import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { gatewayDependencies, type GatewayDependencies } from '../container';
import type { HttpResponse } from '../http/responses';
import { audit } from './audit';
import { authentication } from './authentication';
import { authorization, type AuthorizationOptions, type TargetResolver } from './authorization';
import { correlation } from './correlation';
import { problemErrors } from './problem-errors';
import type { GatewayContext, GatewayEvent, GatewayRouteHandler } from './request-state';

export interface GatewayHandlerOptions {
  /** The route as API Gateway names it, e.g. `GET /me`; used in audit and policy lookups. */
  route: string;
  /** Public routes (only /health) skip authentication and authorization. Default true. */
  authenticated?: boolean;
  /** Finds the target and its policy; defaults to `config.routes[route].policy`. */
  resolveTarget?: TargetResolver;
  additionalChecks?: AuthorizationOptions['additionalChecks'];
  /** Overrides for tests; production uses the container's dependencies. */
  dependencies?: Partial<GatewayDependencies>;
}

const routePolicy =
  (route: string): TargetResolver =>
  (_event, config) => ({ policy: config.routes[route]?.policy });

/**
 * Wraps a route handler in the gateway chain: correlation id, JWT authentication,
 * authorization, audit, problem+json errors. The handler only runs for an allowed request.
 *
 * @example
 *   export const handler = gatewayHandler(async (_event, context) =>
 *     jsonResponse(200, { subject: context.crossgate.principal?.subject }),
 *   { route: 'GET /me' });
 */
export function gatewayHandler(handler: GatewayRouteHandler, options: GatewayHandlerOptions) {
  const given = options.dependencies ?? {};
  // Tests that inject everything never touch the container's config and environment.
  const dependencies: GatewayDependencies =
    given.config && given.verifier && given.logger
      ? (given as GatewayDependencies)
      : { ...gatewayDependencies(), ...given };
  const { logger, config, verifier } = dependencies;

  const chain = middy<GatewayEvent, HttpResponse, Error, GatewayContext>(
    (event: GatewayEvent, context: GatewayContext) => handler(event, context, dependencies),
  ).use(correlation({ logger, route: options.route }));
  if (options.authenticated !== false) {
    chain.use(authentication({ verifier })).use(
      authorization({
        config,
        resolveTarget: options.resolveTarget ?? routePolicy(options.route),
        additionalChecks: options.additionalChecks,
      }),
    );
  }
  chain.use(audit({ logger })).use(problemErrors({ logger }));
  // Lambda hands in a plain Context; the correlation middleware adds `crossgate` to it.
  return chain as unknown as MiddyfiedHandler<GatewayEvent, HttpResponse, Error, Context>;
}
