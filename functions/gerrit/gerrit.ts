import type { Context } from 'aws-lambda';
import type { GerritRouteName } from '../../shared/config/gerrit-schema';
import { gatewayDependencies, type GatewayDependencies } from '../../shared/container';
import { NotFoundError } from '../../shared/errors';
import { requireGerritAccount } from '../../shared/gerrit/gerrit-account';
import { gerritServicesFor, type GerritServices } from '../../shared/gerrit/container-gerrit';
import { parseQueryChangesParams } from '../../shared/gerrit/query-params';
import { readJsonBody } from '../../shared/http/request-body';
import {
  checkLabelPolicies,
  parseReviewInput,
  parseSubmitInput,
} from '../../shared/gerrit/review-input';
import { jsonResponse, type HttpResponse } from '../../shared/http/responses';
import type { AuthorizationOptions } from '../../shared/middleware/authorization';
import { gatewayHandler } from '../../shared/middleware/gateway-handler';
import { GERRIT_ROUTES } from '../../shared/route-keys';
import {
  requirePrincipal,
  type GatewayContext,
  type GatewayEvent,
  type GatewayRouteHandler,
} from '../../shared/middleware/request-state';
import { callerCall, gerritConfig, gerritTarget, pathIdentifier } from './gerrit-routes';

export interface GerritHandlerDependencies extends Partial<GatewayDependencies> {
  /** Gerrit client and group cache; the container's by default. */
  gerrit?: GerritServices;
}

type Invoke = (event: GatewayEvent, context: Context) => Promise<HttpResponse>;

/**
 * The `gerrit` function: Query Changes, Get Change, Set Review and Submit, each as the caller
 * (`X-Gerrit-RunAs`), each behind the gateway chain with its own route policy. One Lambda
 * serves the four routes and dispatches on API Gateway's route key.
 */
export function createGerritHandler(dependencies: GerritHandlerDependencies = {}) {
  const { gerrit: givenServices, ...gateway } = dependencies;
  const config = gateway.config ?? gatewayDependencies().config;
  const services = () => givenServices ?? gerritServicesFor(config);

  const queryChanges: GatewayRouteHandler = async (event, context) => {
    const gerrit = gerritConfig(config);
    const params = parseQueryChangesParams(event.rawQueryString, gerrit.maxChanges);
    const call = callerCall(context, gerrit);
    const result = await services().client.queryChanges(params, call);
    context.crossgate.audit.changeCount = result.changes.length;
    return jsonResponse(200, result);
  };

  const getChange: GatewayRouteHandler = async (event, context) => {
    const gerrit = gerritConfig(config);
    const { options } = parseQueryChangesParams(event.rawQueryString, gerrit.maxChanges);
    const change = await services().client.getChange(
      pathIdentifier(event, 'id'),
      options,
      callerCall(context, gerrit),
    );
    return jsonResponse(200, change);
  };

  const setReview: GatewayRouteHandler = async (event, context) => {
    const gerrit = gerritConfig(config);
    const input = parseReviewInput(readJsonBody(event, gerrit.maxBodyBytes), gerrit);
    // Throws rather than skip the label policies when there is no verified caller.
    checkLabelPolicies(input.labels ?? {}, gerrit, requirePrincipal(context));
    context.crossgate.audit.labels = input.labels;
    const result = await services().client.setReview(
      pathIdentifier(event, 'id'),
      pathIdentifier(event, 'rev'),
      input,
      callerCall(context, gerrit),
    );
    return jsonResponse(200, result);
  };

  const submit: GatewayRouteHandler = async (event, context) => {
    const gerrit = gerritConfig(config);
    const input = parseSubmitInput(readJsonBody(event, gerrit.maxBodyBytes));
    const change = await services().client.submit(
      pathIdentifier(event, 'id'),
      input,
      callerCall(context, gerrit),
    );
    return jsonResponse(200, change);
  };

  /**
   * Checks after policy allowed: the caller has a Gerrit account (else 403, and Gerrit is never
   * called), and belongs to the route's Gerrit groups, asked of Gerrit as the caller.
   */
  const gerritChecks = (route: GerritRouteName): AuthorizationOptions['additionalChecks'] => {
    const groups = gerritConfig(config).routes[route].gerritGroups;
    return [
      async (principal, _event, context) => {
        const gerrit = gerritConfig(config);
        requireGerritAccount(principal, gerrit.account);
        if (groups.length === 0) return;
        // Same deadline, RunAs and correlation as the Gerrit call the route makes next.
        await services().membership.requireGroups(groups, callerCall(context, gerrit));
      },
    ];
  };

  const handlers: Record<GerritRouteName, GatewayRouteHandler> = {
    query: queryChanges,
    get: getChange,
    review: setReview,
    submit,
  };
  const routes = new Map<string, Invoke>();
  for (const [name, routeKey] of Object.entries(GERRIT_ROUTES) as [GerritRouteName, string][]) {
    const invoke = gatewayHandler(handlers[name], {
      route: routeKey,
      resolveTarget: gerritTarget(name),
      additionalChecks: gerritChecks(name),
      dependencies: { ...gateway, config },
    });
    routes.set(routeKey, invoke as unknown as Invoke);
  }
  // A route key this function does not serve (a deployment mistake) still answers problem+json.
  const unknownRoute = gatewayHandler(
    async (event) => {
      throw new NotFoundError(`the gerrit function does not serve ${event.routeKey}`);
    },
    { route: 'gerrit', authenticated: false, dependencies: { ...gateway, config } },
  ) as unknown as Invoke;

  return (event: GatewayEvent, context: Context): Promise<HttpResponse> =>
    (routes.get(event.routeKey) ?? unknownRoute)(event, context as GatewayContext);
}
