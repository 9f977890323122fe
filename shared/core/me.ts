import type { Principal } from '../auth/principal';
import { rawConfigDocument } from '../config/load-config';
import { containerCoreDependencies, type GatewayDependencies } from '../container';
import { jsonResponse } from '../http/responses';
import { corePolicy, gatewayRoute } from '../middleware/gateway-handler';
import type { GatewayModule } from '../modules/gateway-module';
import { gatewayModules } from '../modules/registry';
import { allowedTargets, type AllowedTarget } from '../policy/allowed-targets';
import { policyCatalog, type PolicyTarget } from '../policy/catalog';
import { ME_ROUTE } from './routes';

export interface MeHandlerOptions {
  dependencies?: GatewayDependencies;
  /** The backends whose targets /me lists; the registry by default. */
  modules?: readonly GatewayModule[];
  /** The config document the backends' policies are read from; the packaged file by default. */
  document?: Readonly<Record<string, unknown>>;
}

/** `GET /me`: the verified principal and the routes and targets policy lets it call. */
export function createMeHandler(options: MeHandlerOptions = {}) {
  const { config, verifier, logger } = options.dependencies ?? containerCoreDependencies();
  // Lifetime: the container. Config never changes within it.
  const catalog: PolicyTarget[] = policyCatalog(
    config,
    options.modules ?? gatewayModules,
    options.document ?? rawConfigDocument,
  );
  // A principal served from the verified-token cache is the same frozen object on every
  // request with that token, so its answer is computed once.
  const allowedByPrincipal = new WeakMap<Principal, AllowedTarget[]>();

  return gatewayRoute(
    async ({ principal }) => {
      let allowed = allowedByPrincipal.get(principal);
      if (!allowed) {
        allowed = allowedTargets(catalog, principal);
        allowedByPrincipal.set(principal, allowed);
      }
      return jsonResponse(200, {
        principal,
        scopes: principal.scopes,
        groups: principal.groups,
        allowed,
      });
    },
    { route: ME_ROUTE, resolveTarget: corePolicy(config, ME_ROUTE), verifier, logger },
  );
}
