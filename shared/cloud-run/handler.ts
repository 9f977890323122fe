import type { AssertionSigner } from '../assertion/assertion-signer';
import { assertionSignerFor } from '../assertion/container-assertions';
import { containerModuleDependencies, type GatewayDependencies } from '../container';
import { MethodNotAllowedError, NotFoundError } from '../errors';
import { gcpCredentialsFor } from '../gcp/container-gcp-credentials';
import type { GcpCredentials } from '../gcp/gcp-credentials';
import { requestBody } from '../http/request-body';
import type { TargetResolver } from '../middleware/authorization';
import { gatewayRoute } from '../middleware/gateway-handler';
import type { ModuleConfig } from '../modules/gateway-module';
import type { ScrubOptions } from '../scrub/scrub-options';
import { CloudRunForwarder, type ResolvedService } from './cloud-run-forwarder';
import type { CloudRunConfig } from './config-schema';
import { cloudRunModule, RUN_ROUTE } from './module';
import type { UpstreamAgents } from './upstream-request';

export type RunConfig = ModuleConfig<'cloudRun', CloudRunConfig>;

export interface RunHandlerOptions {
  /** Config, verifier and logger; the container's (core + cloudRun section) by default. */
  dependencies?: GatewayDependencies<RunConfig>;
  /** ID tokens for the services; the container's GcpCredentials by default. */
  credentials?: Pick<GcpCredentials, 'idToken' | 'forgetIdToken'>;
  /** The caller assertions; the container's signer (key set from Secrets Manager) by default. */
  assertions?: Pick<AssertionSigner, 'assertionFor'>;
  /** Keep-alive connection pools for the services; one pair per container by default. */
  agents?: UpstreamAgents;
  /** How agents' answers are scrubbed; secretlint's recommended preset by default. */
  scrub?: ScrubOptions;
}

/** Only services named in config exist; a method not configured for the service is 405. */
function serviceResolver(cloudRun: CloudRunConfig): TargetResolver<ResolvedService> {
  return (event) => {
    const name = event.pathParameters?.service ?? '';
    const config = Object.hasOwn(cloudRun.services, name) ? cloudRun.services[name] : undefined;
    if (!config) throw new NotFoundError(`no Cloud Run service named "${name}" is configured`);
    const method = event.requestContext.http.method.toUpperCase();
    if (!(config.methods as string[]).includes(method)) {
      throw new MethodNotAllowedError(`service ${name} does not accept ${method}`, config.methods);
    }
    return { target: { name, config }, name, policy: config.policy };
  };
}

/**
 * `ANY /run/{service}/{proxy+}`: forwards an allowed caller to a private Cloud Run service
 * with a Google ID token the caller never sees.
 */
export function createRunHandler(options: RunHandlerOptions = {}) {
  const dependencies =
    options.dependencies ?? containerModuleDependencies<'cloudRun', CloudRunConfig>(cloudRunModule);
  const { config, logger } = dependencies;
  const cloudRun = config.cloudRun;
  // Lifetime: the container (the ID token cache lives in the credentials behind it).
  const forwarder = new CloudRunForwarder({
    config: cloudRun,
    credentials: options.credentials ?? gcpCredentialsFor(config, cloudRun.gcp),
    assertions: options.assertions ?? assertionSignerFor(config),
    agents: options.agents,
    logger,
    scrub: options.scrub,
  });

  return gatewayRoute<ResolvedService>(
    async ({ event, principal, target, call, audit }) => {
      const result = await forwarder.forward({
        service: target,
        method: event.requestContext.http.method.toUpperCase(),
        rawPath: event.rawPath,
        rawQueryString: event.rawQueryString,
        headers: event.headers ?? {},
        body: requestBody(event, cloudRun.maxRequestBytes),
        principal,
        // Narrowed to the service's timeoutMs by the forwarder, with a timer it clears.
        call,
      });
      audit.upstreamStatus = result.upstreamStatus;
      audit.attempts = result.attempts;
      // Counts per rule only, never what was redacted (agent-scrub.ts).
      if (result.redactions) audit.redactions = result.redactions;
      return result.response;
    },
    {
      route: RUN_ROUTE,
      resolveTarget: serviceResolver(cloudRun),
      verifier: dependencies.verifier,
      logger,
      lambdaMarginMs: cloudRun.deadlineMarginMs,
    },
  );
}
