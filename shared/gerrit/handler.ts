import { containerModuleDependencies, type GatewayDependencies } from '../container';
import { UnsupportedMediaTypeError } from '../errors';
import { readJsonBody } from '../http/request-body';
import type { HttpResponse } from '../http/responses';
import type { AdditionalCheck } from '../middleware/authorization';
import { gatewayRoute, type LambdaHandler } from '../middleware/gateway-handler';
import type { GatewayRequest, RouteHandler } from '../middleware/request-state';
import type { ModuleConfig } from '../modules/gateway-module';
import type { RedactionCounts } from '../scrub/secret-detector';
import type { GerritConfig } from './config-schema';
import { gerritAccountFor, requireGerritAccount } from './gerrit-account';
import type { GerritAnswer, GerritCall } from './gerrit-client';
import { parseGerritJson } from './gerrit-json';
import { gerritNotFound, isSensitiveChange } from './sensitive-projects';
import { encodeChangeId } from './gerrit-path';
import { gerritServicesFor, type GerritServices } from './container-gerrit';
import { GERRIT_ROUTE, gerritModule } from './module';
import { checkLabelPolicies, parseReviewInput, parseSubmitInput } from './review-input';
import { GERRIT_LAMBDA_MARGIN_MS, gerritTarget, withCallerCall, type GerritTarget } from './routes';

/**
 * The scrubbers (secretlint's rules: about 300 ms to load, measured for the run function) are
 * loaded on the first answer to an agent, so that a person's or a bot's cold start does not
 * pay for them. Lifetime: the container.
 */
let agentViewModule: Promise<typeof import('./agent-view')> | undefined;
const loadAgentView = () => (agentViewModule ??= import('./agent-view'));

export type GerritFunctionConfig = ModuleConfig<'gerrit', GerritConfig>;

export interface GerritHandlerOptions {
  /** Config, verifier and logger; the container's (core + gerrit section) by default. */
  dependencies?: GatewayDependencies<GerritFunctionConfig>;
  /** Gerrit client and group cache; the container's by default. */
  gerrit?: GerritServices;
}

/**
 * The `gerrit` function: Gerrit's own REST API under `/gerrit/a/...`, endpoints on the
 * configured allowlist only, each behind the gateway chain with its own policy, each call made
 * as the caller (`X-Gerrit-RunAs`). Gerrit's answers go back as Gerrit sent them (the `)]}'`
 * line, status, plain-text errors), except that agents get them scrubbed.
 */
export function createGerritHandler(options: GerritHandlerOptions = {}): LambdaHandler {
  const dependencies =
    options.dependencies ?? containerModuleDependencies<'gerrit', GerritConfig>(gerritModule);
  const { config, logger, verifier } = dependencies;
  const gerrit = config.gerrit;
  const services = options.gerrit ?? gerritServicesFor(config, gerrit);
  const sensitiveProjects = new Set(gerrit.sensitiveProjects);

  const forward: RouteHandler<GerritTarget> = async (request) => {
    const { known, params, path, query } = request.target;
    const body = requestBodyOf(request, gerrit);
    const agent = request.principal.kind === 'agent';
    const queryString = query.toString();
    // One Gerrit window for the agent's sensitivity check and the call itself.
    const { answer, hidden } = await withCallerCall(request, gerrit, async (call) => {
      if (agent && params.id !== undefined && known.kind !== 'change') {
        const hiddenAnswer = await hiddenFromAgent(params.id, call);
        if (hiddenAnswer) return { answer: hiddenAnswer, hidden: true };
      }
      const gerritAnswer = await services.client.forward(
        {
          method: known.method,
          path,
          ...(queryString ? { query: queryString } : {}),
          ...(body === undefined ? {} : { body }),
        },
        call,
      );
      return { answer: gerritAnswer, hidden: false };
    });
    if (!agent || hidden) return relay(answer, request);
    const { agentView, agentErrorView } = await loadAgentView();
    const view =
      answer.status >= 300
        ? await agentErrorView(answer)
        : await agentView(known.kind, answer, params.id, { sensitiveProjects });
    return relay(view.answer, request, view.redactions);
  };

  /**
   * For an agent, a change's sub-resource (files, diff, review) is first looked up as the
   * agent: a change of a sensitive project answers as a change that does not exist, and
   * nothing of it is read or written. One more Gerrit call, for agents only.
   */
  const hiddenFromAgent = async (
    id: string,
    call: GerritCall,
  ): Promise<GerritAnswer | undefined> => {
    if (sensitiveProjects.size === 0) return undefined;
    const change = await services.client.forward(
      { method: 'GET', path: `/changes/${encodeChangeId(id)}` },
      call,
    );
    if (change.status >= 300) return change;
    return isSensitiveChange(parseGerritJson(change.body), sensitiveProjects)
      ? gerritNotFound(id)
      : undefined;
  };

  /**
   * After policy allowed: the caller has a Gerrit account (else 403, and Gerrit is never
   * called), and belongs to the endpoint's Gerrit groups, asked of Gerrit as the caller with
   * the same deadline, RunAs and correlation as the call that follows.
   */
  const gerritChecks: AdditionalCheck<GerritTarget> = async (request) => {
    requireGerritAccount(request.principal, gerrit.account);
    const groups = request.target.endpoint.gerritGroups;
    if (groups.length === 0) return;
    await withCallerCall(request, gerrit, (call) =>
      services.membership.requireGroups(groups, call),
    );
  };

  return gatewayRoute(forward, {
    route: GERRIT_ROUTE,
    resolveTarget: gerritTarget(gerrit),
    additionalChecks: [gerritChecks],
    verifier,
    logger,
    lambdaMarginMs: GERRIT_LAMBDA_MARGIN_MS,
    // Gerrit clients that can only send Basic send the token as the password; the user name
    // must be the Gerrit account the token stands for.
    basicAuthentication: { accountOf: (principal) => gerritAccountFor(principal, gerrit.account) },
  });
}

/**
 * The JSON body Gerrit gets: a review or submit input validated (label policies included) and
 * written anew, so nothing but the checked fields reaches Gerrit. A body without a content
 * type is 415, as Gerrit answers it.
 */
function requestBodyOf(
  request: GatewayRequest<GerritTarget>,
  gerrit: GerritConfig,
): string | undefined {
  const { kind } = request.target.known;
  if (kind !== 'review' && kind !== 'submit') return undefined;
  const { event } = request;
  if (event.body && event.body.trim() !== '' && !event.headers?.['content-type']) {
    throw new UnsupportedMediaTypeError('a JSON body needs Content-Type: application/json');
  }
  const body = readJsonBody(event, gerrit.maxBodyBytes);
  if (kind === 'submit') return JSON.stringify(parseSubmitInput(body));
  const input = parseReviewInput(body, gerrit);
  checkLabelPolicies(input.labels ?? {}, gerrit, request.principal);
  request.audit.labels = input.labels;
  return JSON.stringify(input);
}

/** Gerrit's answer as the Lambda's response, with its status and the audit's Gerrit fields. */
function relay(
  answer: GerritAnswer,
  request: GatewayRequest<GerritTarget>,
  redactions?: RedactionCounts,
): HttpResponse {
  request.audit.gerritStatus = answer.status;
  // Counts by rule only: the audit never holds what was redacted.
  if (redactions !== undefined) request.audit.redactions = redactions;
  return { statusCode: answer.status, headers: { ...answer.headers }, body: answer.body };
}
