import type { CloudRunConfig } from '../../shared/config/cloud-run-schema';
import type { GatewayDependencies } from '../../shared/container';
import { CloudRunForwarder } from '../../shared/cloud-run/cloud-run-forwarder';
import { invocationDeadline } from '../../shared/deadline';
import { requestBody } from '../../shared/http/request-body';
import { childTraceparent } from '../../shared/correlation/trace-context';
import {
  ConfigurationError,
  InternalError,
  MethodNotAllowedError,
  NotFoundError,
} from '../../shared/errors';
import { gcpCredentialsFor } from '../../shared/gcp/container-gcp-credentials';
import type { GcpCredentials } from '../../shared/gcp/gcp-credentials';
import { gatewayHandler } from '../../shared/middleware/gateway-handler';
import { requirePrincipal } from '../../shared/middleware/request-state';
import { RUN_ROUTE } from '../../shared/route-keys';
import type { TargetResolver } from '../../shared/middleware/authorization';

export interface RunHandlerOptions {
  dependencies?: Partial<GatewayDependencies>;
  /** ID tokens for the services; the container's GcpCredentials by default. */
  credentials?: Pick<GcpCredentials, 'idToken' | 'forgetIdToken'>;
  fetch?: typeof fetch;
}

/** Only services named in config exist; a method not configured for the service is 405. */
const resolveService: TargetResolver = (event, config) => {
  const name = event.pathParameters?.service ?? '';
  const service = Object.hasOwn(config.cloudRun?.services ?? {}, name)
    ? config.cloudRun?.services[name]
    : undefined;
  if (!service) throw new NotFoundError(`no Cloud Run service named "${name}" is configured`);
  const method = event.requestContext.http.method.toUpperCase();
  if (!(service.methods as string[]).includes(method)) {
    throw new MethodNotAllowedError(`service ${name} does not accept ${method}`, service.methods);
  }
  return { target: name, policy: service.policy };
};

/**
 * `ANY /run/{service}/{proxy+}`: forwards an allowed caller to a private Cloud Run service
 * with a Google ID token the caller never sees.
 */
export function createRunHandler(options: RunHandlerOptions = {}) {
  let forwarder: CloudRunForwarder | undefined;
  const forwarderFor = (dependencies: GatewayDependencies, cloudRun: CloudRunConfig) => {
    // Lifetime: the container (the ID token cache lives in the credentials behind it).
    forwarder ??= new CloudRunForwarder({
      config: cloudRun,
      credentials: options.credentials ?? gcpCredentialsFor(dependencies.config),
      fetch: options.fetch,
      logger: dependencies.logger,
    });
    return forwarder;
  };

  return gatewayHandler(
    async (event, context, dependencies) => {
      const cloudRun = dependencies.config.cloudRun;
      if (!cloudRun) throw new ConfigurationError('the config has no cloudRun section');
      const principal = requirePrincipal(context);
      const { correlation, target, audit } = context.crossgate;
      if (!target) throw new InternalError('the run route ran without a resolved service');
      const service = cloudRun.services[target];
      if (!service) throw new InternalError('the resolved service vanished');

      const deadline = invocationDeadline(context, service.timeoutMs, cloudRun.deadlineMarginMs);
      const result = await forwarderFor(dependencies, cloudRun).forward({
        serviceName: target,
        method: event.requestContext.http.method.toUpperCase(),
        rawPath: event.rawPath,
        rawQueryString: event.rawQueryString,
        headers: event.headers ?? {},
        body: requestBody(event, cloudRun.maxRequestBytes),
        principal,
        correlationId: correlation.correlationId,
        traceparent: childTraceparent(correlation.trace),
        deadline,
      });
      audit.upstreamStatus = result.upstreamStatus;
      audit.attempts = result.attempts;
      return result.response;
    },
    { route: RUN_ROUTE, resolveTarget: resolveService, dependencies: options.dependencies },
  );
}
