import type { GatewayLogger } from '../logging/gateway-logger';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { TokenVerifier } from '../auth/token-verifier';
import type { CoreConfig } from '../config/schema';
import { InternalError } from '../errors';
import type { HttpResponse } from '../http/responses';
import { audit } from './audit';
import { authentication, type BasicAuthenticationOptions } from './authentication';
import { authorization, type AdditionalCheck, type TargetResolver } from './authorization';
import { correlation } from './correlation';
import { problemErrors } from './problem-errors';
import {
  requestStateOf,
  type GatewayEvent,
  type PublicRouteHandler,
  type RouteHandler,
} from './request-state';

export type LambdaHandler = (event: GatewayEvent, context: Context) => Promise<HttpResponse>;

export interface GatewayRouteOptions<Target> {
  /** The route as API Gateway names it, e.g. `GET /me`; used in audit and policy lookups. */
  route: string;
  /** Finds the target and its policy, once per request. */
  resolveTarget: TargetResolver<Target>;
  additionalChecks?: readonly AdditionalCheck<Target>[];
  logger: GatewayLogger;
  verifier: Pick<TokenVerifier, 'verify'>;
  /** Time kept back from the Lambda's remaining time for answering. */
  lambdaMarginMs?: number;
  /** Also accept Basic with the token as password (see authentication.ts); off by default. */
  basicAuthentication?: BasicAuthenticationOptions;
}

/**
 * Wraps a route handler in the gateway chain: correlation id, JWT authentication,
 * authorization, audit, problem+json errors. The handler runs only for an allowed request and
 * gets one typed value: principal, resolved target and outbound call.
 *
 * @example
 *   export const handler = gatewayRoute(async ({ principal }) => jsonResponse(200, principal), {
 *     route: 'GET /me', resolveTarget: corePolicy(config, 'GET /me'), logger, verifier });
 */
export function gatewayRoute<Target>(
  handler: RouteHandler<Target>,
  options: GatewayRouteOptions<Target>,
): LambdaHandler {
  const { logger } = options;
  return middy<GatewayEvent, HttpResponse, Error, Context>(
    async (event: GatewayEvent, context: Context) => {
      const state = requestStateOf(context);
      if (!state.principal || state.decision !== 'allow') {
        throw new InternalError('route handler ran without an allowed principal');
      }
      return handler({
        event,
        principal: state.principal,
        // authorization stored exactly what resolveTarget returned for this route.
        target: state.target as Target,
        call: state.call,
        audit: state.audit,
      });
    },
  )
    .use(correlation({ logger, route: options.route, lambdaMarginMs: options.lambdaMarginMs }))
    .use(
      authentication({
        verifier: options.verifier,
        ...(options.basicAuthentication ? { basic: options.basicAuthentication } : {}),
      }),
    )
    .use(
      authorization({
        resolveTarget: options.resolveTarget,
        additionalChecks: options.additionalChecks,
      }),
    )
    .use(audit({ logger }))
    .use(problemErrors({ logger }));
}

/** A route that needs no token (/health, the JWKS): correlation, audit and errors only. */
export function publicRoute(
  handler: PublicRouteHandler,
  options: { route: string; logger: GatewayLogger },
): LambdaHandler {
  const { logger } = options;
  return middy<GatewayEvent, HttpResponse, Error, Context>(
    async (event: GatewayEvent, context: Context) => {
      const state = requestStateOf(context);
      return handler({ event, call: state.call, audit: state.audit });
    },
  )
    .use(correlation({ logger, route: options.route }))
    .use(audit({ logger }))
    .use(problemErrors({ logger }));
}

/** The resolver of a core route without a backend target: its policy in `config.routes`. */
export function corePolicy(
  config: Pick<CoreConfig, 'routes'>,
  route: string,
): TargetResolver<undefined> {
  const policy = config.routes[route]?.policy;
  return () => ({ target: undefined, policy });
}
