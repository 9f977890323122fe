import type { Logger } from '@aws-lambda-powertools/logger';
import type { GatewayMiddleware, GatewayRequest } from './request-state';

export interface AuditOptions {
  logger: Logger;
  now?: () => number;
}

/**
 * One structured audit event per request, allowed or not: who, which route and target,
 * the decision, the status and the latency. The correlation id is on the line already.
 */
export function audit(options: AuditOptions): GatewayMiddleware {
  const now = options.now ?? Date.now;

  const auditAfter = (request: GatewayRequest): void => {
    const state = request.context.crossgate;
    if (!state) return;
    const principal = state.principal;
    options.logger.info('audit', {
      audit: {
        route: state.route,
        method: request.event.requestContext?.http?.method,
        path: request.event.rawPath,
        target: state.target,
        decision: state.decision ?? (principal ? 'error' : 'unauthenticated'),
        status: request.response?.statusCode ?? 500,
        latencyMs: now() - state.startedAt,
        principal: principal && {
          subject: principal.subject,
          username: principal.username,
          kind: principal.kind,
          issuer: principal.issuerName,
          clientId: principal.clientId,
        },
        ...state.audit,
      },
    });
  };

  return { after: auditAfter, onError: auditAfter };
}
