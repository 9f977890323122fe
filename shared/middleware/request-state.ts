import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Principal } from '../auth/principal';
import { InternalError } from '../errors';
import type { GatewayDependencies } from '../container';
import type { Correlation } from '../correlation/correlation-id';
import type { HttpResponse } from '../http/responses';

/** What the gateway learns about one request as it moves through the chain. */
export interface GatewayRequestState {
  correlation: Correlation;
  /** The route as API Gateway names it, e.g. `GET /me`. */
  route: string;
  startedAt: number;
  principal?: Principal;
  /** The backend target the route resolved to (service, statement, change). */
  target?: string;
  decision?: 'allow' | 'deny';
  /** Extra audit fields a handler adds (row counts, upstream status, ...). Never values of secrets. */
  audit: Record<string, unknown>;
}

export type GatewayContext = Context & { crossgate: GatewayRequestState };
export type GatewayEvent = APIGatewayProxyEventV2;
export type GatewayRequest = Request<GatewayEvent, HttpResponse, Error, GatewayContext>;
export type GatewayMiddleware = MiddlewareObj<GatewayEvent, HttpResponse, Error, GatewayContext>;
export type GatewayRouteHandler = (
  event: GatewayEvent,
  context: GatewayContext,
  dependencies: GatewayDependencies,
) => Promise<HttpResponse>;

/** The request state, for middlewares that run after correlation. */
export function requestState(request: GatewayRequest): GatewayRequestState {
  const state = request.context.crossgate;
  if (!state) throw new Error('correlation middleware must run first');
  return state;
}

/** The verified caller; only authenticated routes call this, after authentication ran. */
export function requirePrincipal(context: GatewayContext): Principal {
  const principal = context.crossgate.principal;
  if (!principal) throw new InternalError('route handler ran without a verified principal');
  return principal;
}
