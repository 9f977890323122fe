import packageJson from '../../package.json' with { type: 'json' };
import type { GatewayDependencies } from '../../shared/container';
import { jsonResponse } from '../../shared/http/responses';
import { gatewayHandler } from '../../shared/middleware/gateway-handler';

/** `GET /health`: no auth; says who is answering. */
export function createHealthHandler(dependencies?: Partial<GatewayDependencies>) {
  return gatewayHandler(
    async () =>
      jsonResponse(200, { status: 'ok', name: packageJson.name, version: packageJson.version }),
    { route: 'GET /health', authenticated: false, dependencies },
  );
}
