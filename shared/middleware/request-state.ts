import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Principal } from '../auth/principal';
import type { Correlation } from '../correlation/correlation-id';
import { InternalError } from '../errors';
import type { HttpResponse } from '../http/responses';
import type { OutboundCall } from '../http/outbound-call';

export type GatewayEvent = APIGatewayProxyEventV2;

/** Extra audit fields a handler adds (row counts, upstream status, ...). Never secret values. */
export type AuditFields = Record<string, unknown>;

/**
 * What one allowed request hands its route handler: the verified caller, the target resolved
 * from config (once), and the outbound call for the backend. Built by the chain; read-only to
 * the handler except `audit`.
 */
export interface GatewayRequest<Target = undefined> {
  readonly event: GatewayEvent;
  readonly principal: Principal;
  readonly target: Target;
  readonly call: OutboundCall;
  readonly audit: AuditFields;
}

/** A public route's request (/health, the JWKS): nobody is verified, nothing is targeted. */
export interface PublicRequest {
  readonly event: GatewayEvent;
  readonly call: OutboundCall;
  readonly audit: AuditFields;
}

export type RouteHandler<Target> = (request: GatewayRequest<Target>) => Promise<HttpResponse>;
export type PublicRouteHandler = (request: PublicRequest) => Promise<HttpResponse>;

/** The chain's own record of a request, kept beside (not on) Lambda's context. */
export interface RequestState {
  correlation: Correlation;
  /** The route as API Gateway names it, e.g. `GET /me`. */
  route: string;
  startedAt: number;
  call: OutboundCall;
  principal?: Principal;
  /** The target's name for audit and 403s (service, statement, change). */
  targetName?: string;
  /** The resolved target object handed to the route handler. */
  target?: unknown;
  decision?: 'allow' | 'deny';
  audit: AuditFields;
}

export type GatewayMiddlewareRequest = Request<GatewayEvent, HttpResponse, Error, Context>;
export type GatewayMiddleware = MiddlewareObj<GatewayEvent, HttpResponse, Error, Context>;

/**
 * Request state by invocation context. A WeakMap rather than a property on Lambda's Context:
 * the context stays Lambda's, and the state goes with it when the invocation ends.
 */
const states = new WeakMap<Context, RequestState>();

export function startRequestState(context: Context, state: RequestState): void {
  states.set(context, state);
}

/** The request state, for middlewares that run after correlation (and the chain's handler). */
export function requestStateOf(context: Context): RequestState {
  const state = states.get(context);
  if (!state) throw new InternalError('correlation middleware must run first');
  return state;
}

/** The state if correlation ran: the way out (audit, errors) must work even when it did not. */
export function maybeRequestStateOf(context: Context): RequestState | undefined {
  return states.get(context);
}
