import type { GatewayLogger } from '../logging/gateway-logger';
import {
  maybeRequestStateOf,
  type GatewayMiddleware,
  type GatewayMiddlewareRequest,
} from './request-state';

export interface AuditOptions {
  logger: GatewayLogger;
  now?: () => number;
  /** The Lambda's X-Ray trace header; Lambda sets `_X_AMZN_TRACE_ID` per invocation. */
  xrayTraceId?: () => string | undefined;
}

/**
 * One structured audit event per request, allowed or not: who, which route and target, the
 * decision, the status and the latency, and the ids that find the request in both clouds
 * (the correlation id is on the line already; the W3C trace id and the X-Ray trace id here).
 */
export function audit(options: AuditOptions): GatewayMiddleware {
  const now = options.now ?? Date.now;
  const xrayTraceId = options.xrayTraceId ?? (() => process.env._X_AMZN_TRACE_ID);

  const auditAfter = (request: GatewayMiddlewareRequest): void => {
    const state = maybeRequestStateOf(request.context);
    if (!state) return;
    const principal = state.principal;
    const audit = {
      route: state.route,
      method: request.event.requestContext?.http?.method,
      path: request.event.rawPath,
      target: state.targetName,
      decision: state.decision ?? (principal ? 'error' : 'unauthenticated'),
      status: request.response?.statusCode ?? 500,
      latencyMs: now() - state.startedAt,
      traceId: state.correlation.trace.traceId,
      xrayTraceId: xrayTraceId(),
      principal: principal && {
        subject: principal.subject,
        username: principal.username,
        kind: principal.kind,
        issuer: principal.issuerName,
        clientId: principal.clientId,
      },
      ...state.audit,
    };
    // Written whatever the log level (gateway-logger.ts, `audit`).
    options.logger.audit({
      route: state.route,
      correlationId: state.correlation.correlationId,
      audit,
    });
  };

  return { after: auditAfter, onError: auditAfter };
}
