import { LRUCache } from 'lru-cache';
import type { Principal } from '../auth/principal';
import { isRememberedPrincipal } from '../auth/verified-token-cache';
import { compiledConfig } from '../config/compiled-document';
import { containerCoreDependencies, type GatewayDependencies } from '../container';
import { jsonBodyResponse } from '../http/responses';
import { corePolicy, gatewayRoute } from '../middleware/gateway-handler';
import type { GatewayModule } from '../modules/gateway-module';
import { gatewayModules } from '../modules/registry';
import { allowedTargets } from '../policy/allowed-targets';
import { policyCatalog, type PolicyTarget } from '../policy/catalog';
import { policyInputsKey } from '../policy/evaluate';
import { ME_ROUTE } from './routes';

export interface MeHandlerOptions {
  dependencies?: GatewayDependencies;
  /** The backends whose targets /me lists; the registry by default. */
  modules?: readonly GatewayModule[];
  /** The document the backends' policies are read from; the compiled config's by default. */
  document?: Readonly<Record<string, unknown>>;
}

/** `GET /me`: the verified principal and the routes and targets policy lets it call. */
export function createMeHandler(options: MeHandlerOptions = {}) {
  const { config, verifier, logger } = options.dependencies ?? containerCoreDependencies();
  // Lifetime: the container. Config never changes within it.
  const catalog: PolicyTarget[] = policyCatalog(
    config,
    options.modules ?? gatewayModules,
    options.document ?? compiledConfig.document,
  );
  // Two caches, because /me is asked often (issue 16). A principal served from the
  // verified-token cache is the same frozen object on every request with that token, so its
  // whole answer is kept by principal. A new token of a known kind of caller gets the allowed
  // list of everyone with the same policy inputs, evaluated once.
  const bodyByPrincipal = new WeakMap<Principal, string>();
  const allowedJsonByInputs = new LRUCache<string, string>({ max: 256 });
  const allowedJson = (principal: Principal): string => {
    const key = policyInputsKey(principal);
    let json = allowedJsonByInputs.get(key);
    if (json === undefined) {
      json = JSON.stringify(allowedTargets(catalog, principal));
      allowedJsonByInputs.set(key, json);
    }
    return json;
  };

  return gatewayRoute(
    async ({ principal }) => {
      let body = bodyByPrincipal.get(principal);
      if (body === undefined) {
        // The shape of JSON.stringify({ principal, scopes, groups, allowed }).
        body = `{"principal":${JSON.stringify(principal)},"scopes":${JSON.stringify(principal.scopes)},"groups":${JSON.stringify(principal.groups)},"allowed":${allowedJson(principal)}}`;
        // Only the verified-token cache's principals come back; keeping a one-shot token's
        // answer would cost a weak entry the collector must trace, for nothing.
        if (isRememberedPrincipal(principal)) bodyByPrincipal.set(principal, body);
      }
      return jsonBodyResponse(200, body);
    },
    { route: ME_ROUTE, resolveTarget: corePolicy(config, ME_ROUTE), verifier, logger },
  );
}
