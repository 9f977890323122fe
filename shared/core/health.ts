import packageJson from '../../package.json' with { type: 'json' };
import type { GatewayLogger } from '../logging/gateway-logger';
import { jsonResponse } from '../http/responses';
import { logger as containerLogger } from '../logging/logger';
import { publicRoute } from '../middleware/gateway-handler';
import { HEALTH_ROUTE } from './routes';

/**
 * `GET /health`: no auth; says who is answering. It needs no config at all, so a deployment
 * with a broken backend section still answers health checks.
 */
export function createHealthHandler(options: { logger?: GatewayLogger } = {}) {
  return publicRoute(
    async () =>
      jsonResponse(200, { status: 'ok', name: packageJson.name, version: packageJson.version }),
    { route: HEALTH_ROUTE, logger: options.logger ?? containerLogger },
  );
}
