import type { GatewayModule } from '../modules/gateway-module';
import { targetMapCatalog } from '../modules/catalog-view';

/** The route that reaches a Cloud Run service named in config. */
export const RUN_ROUTE = 'ANY /run/{service}/{proxy+}';

/** Cloud Run: `config.cloudRun`, served by the `run` function. */
export const cloudRunModule = {
  configKey: 'cloudRun',
  functionName: 'run',
  routes: [RUN_ROUTE],
  catalog: (rawSection) =>
    targetMapCatalog(rawSection, { configKey: 'cloudRun', mapKey: 'services', route: RUN_ROUTE }),
} as const satisfies GatewayModule<'cloudRun'>;
