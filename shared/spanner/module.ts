import type { GatewayModule } from '../modules/gateway-module';
import { targetMapCatalog } from '../modules/catalog-view';

/** The route that runs a named Spanner statement. */
export const SPANNER_ROUTE = 'POST /spanner/{query}';

/** Cloud Spanner: `config.spanner`, served by the `spanner` function. */
export const spannerModule = {
  configKey: 'spanner',
  functionName: 'spanner',
  routes: [SPANNER_ROUTE],
  catalog: (rawSection) =>
    targetMapCatalog(rawSection, {
      configKey: 'spanner',
      mapKey: 'statements',
      route: SPANNER_ROUTE,
    }),
} as const satisfies GatewayModule<'spanner'>;
