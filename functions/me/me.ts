import type { Principal } from '../../shared/auth/principal';
import type { GatewayDependencies } from '../../shared/container';
import { jsonResponse } from '../../shared/http/responses';
import { gatewayHandler } from '../../shared/middleware/gateway-handler';
import { requirePrincipal } from '../../shared/middleware/request-state';
import { allowedTargets, type AllowedTarget } from '../../shared/policy/allowed-targets';

/** `GET /me`: the verified principal and the routes and targets policy lets it call. */
export function createMeHandler(dependencies?: Partial<GatewayDependencies>) {
  // Lifetime: the container. Config never changes within it, and a principal served from the
  // verified-token cache is the same frozen object on every request with that token.
  const allowedByPrincipal = new WeakMap<Principal, AllowedTarget[]>();

  return gatewayHandler(
    async (_event, context, { config }) => {
      const principal = requirePrincipal(context);
      let allowed = allowedByPrincipal.get(principal);
      if (!allowed) {
        allowed = allowedTargets(config, principal);
        allowedByPrincipal.set(principal, allowed);
      }
      return jsonResponse(200, {
        principal,
        scopes: principal.scopes,
        groups: principal.groups,
        allowed,
      });
    },
    { route: 'GET /me', dependencies },
  );
}
