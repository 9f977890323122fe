import type { GatewayDependencies } from '../../shared/container';
import { jsonResponse } from '../../shared/http/responses';
import { gatewayHandler } from '../../shared/middleware/gateway-handler';
import { allowedTargets } from '../../shared/policy/allowed-targets';

/** `GET /me`: the verified principal and the routes and targets policy lets it call. */
export function createMeHandler(dependencies?: Partial<GatewayDependencies>) {
  return gatewayHandler(
    async (_event, context, { config }) => {
      const principal = context.crossgate.principal;
      return jsonResponse(200, {
        principal,
        scopes: principal?.scopes ?? [],
        groups: principal?.groups ?? [],
        allowed: principal ? allowedTargets(config, principal) : [],
      });
    },
    { route: 'GET /me', dependencies },
  );
}
