import type { Context } from 'aws-lambda';
import { containerModuleDependencies, type GatewayDependencies } from '../container';
import { NotFoundError } from '../errors';
import { readJsonBody } from '../http/request-body';
import { jsonResponse, type HttpResponse } from '../http/responses';
import type { AdditionalCheck } from '../middleware/authorization';
import { gatewayRoute, publicRoute, type LambdaHandler } from '../middleware/gateway-handler';
import type { GatewayEvent, RouteHandler } from '../middleware/request-state';
import type { ModuleConfig } from '../modules/gateway-module';
import { gerritSchema, type GerritConfig } from './config-schema';
import { requireGerritAccount } from './gerrit-account';
import { gerritServicesFor, type GerritServices } from './container-gerrit';
import { GERRIT_ROUTES, gerritModule, type GerritRouteKey } from './module';
import { parseQueryChangesParams } from './query-params';
import { checkLabelPolicies, parseReviewInput, parseSubmitInput } from './review-input';
import { callerCall, GERRIT_LAMBDA_MARGIN_MS, gerritTarget, type GerritTarget } from './routes';

export type GerritFunctionConfig = ModuleConfig<'gerrit', GerritConfig>;

export interface GerritHandlerOptions {
  /** Config, verifier and logger; the container's (core + gerrit section) by default. */
  dependencies?: GatewayDependencies<GerritFunctionConfig>;
  /** Gerrit client and group cache; the container's by default. */
  gerrit?: GerritServices;
}

/**
 * The `gerrit` function: Query Changes, Get Change, Set Review and Submit, each as the caller
 * (`X-Gerrit-RunAs`), each behind the gateway chain with its own route policy. One Lambda
 * serves the four routes and dispatches on API Gateway's route key.
 */
export function createGerritHandler(options: GerritHandlerOptions = {}): LambdaHandler {
  const dependencies =
    options.dependencies ?? containerModuleDependencies(gerritModule, gerritSchema);
  const { config, logger, verifier } = dependencies;
  const gerrit = config.gerrit;
  const services = options.gerrit ?? gerritServicesFor(config, gerrit);

  const queryChanges: RouteHandler<GerritTarget> = async (request) => {
    const params = parseQueryChangesParams(request.event.rawQueryString, gerrit.maxChanges);
    const result = await services.client.queryChanges(params, callerCall(request, gerrit));
    request.audit.changeCount = result.changes.length;
    return jsonResponse(200, result);
  };

  const getChange: RouteHandler<GerritTarget> = async (request) => {
    const { options: changeOptions } = parseQueryChangesParams(
      request.event.rawQueryString,
      gerrit.maxChanges,
    );
    const change = await services.client.getChange(
      changeIdOf(request.target),
      changeOptions,
      callerCall(request, gerrit),
    );
    return jsonResponse(200, change);
  };

  const setReview: RouteHandler<GerritTarget> = async (request) => {
    const input = parseReviewInput(readJsonBody(request.event, gerrit.maxBodyBytes), gerrit);
    checkLabelPolicies(input.labels ?? {}, gerrit, request.principal);
    request.audit.labels = input.labels;
    const result = await services.client.setReview(
      changeIdOf(request.target),
      request.target.revisionId ?? 'current',
      input,
      callerCall(request, gerrit),
    );
    return jsonResponse(200, result);
  };

  const submit: RouteHandler<GerritTarget> = async (request) => {
    const input = parseSubmitInput(readJsonBody(request.event, gerrit.maxBodyBytes));
    const change = await services.client.submit(
      changeIdOf(request.target),
      input,
      callerCall(request, gerrit),
    );
    return jsonResponse(200, change);
  };

  /**
   * After policy allowed: the caller has a Gerrit account (else 403, and Gerrit is never
   * called), and belongs to the route's Gerrit groups, asked of Gerrit as the caller with the
   * same deadline, RunAs and correlation as the call the route makes next.
   */
  const gerritChecks: AdditionalCheck<GerritTarget> = async (request) => {
    requireGerritAccount(request.principal, gerrit.account);
    const groups = request.target.config.gerritGroups;
    if (groups.length === 0) return;
    await services.membership.requireGroups(groups, callerCall(request, gerrit));
  };

  const handlers: Record<GerritRouteKey, RouteHandler<GerritTarget>> = {
    query: queryChanges,
    get: getChange,
    review: setReview,
    submit,
  };
  const routes = new Map<string, LambdaHandler>();
  for (const [name, routeKey] of Object.entries(GERRIT_ROUTES) as [GerritRouteKey, string][]) {
    routes.set(
      routeKey,
      gatewayRoute(handlers[name], {
        route: routeKey,
        resolveTarget: gerritTarget(gerrit, name),
        additionalChecks: [gerritChecks],
        verifier,
        logger,
        lambdaMarginMs: GERRIT_LAMBDA_MARGIN_MS,
      }),
    );
  }
  // A route key this function does not serve (a deployment mistake) still answers problem+json.
  const unknownRoute = publicRoute(
    async ({ event }) => {
      throw new NotFoundError(`the gerrit function does not serve ${event.routeKey}`);
    },
    { route: 'gerrit', logger },
  );

  return (event: GatewayEvent, context: Context): Promise<HttpResponse> =>
    (routes.get(event.routeKey) ?? unknownRoute)(event, context);
}

function changeIdOf(target: GerritTarget): string {
  // gerritTarget resolves a change id for every route but the query.
  if (target.changeId === undefined) throw new NotFoundError('no change id in the path');
  return target.changeId;
}
