import { cloudRunModule } from '../cloud-run/module';
import { gerritModule } from '../gerrit/module';
import { spannerModule } from '../spanner/module';
import type { GatewayModule } from './gateway-module';

/**
 * Every backend module of the gateway. The /me catalog and the whole-file config check read
 * this list; nothing in shared/config or shared/policy names a backend. A module folder that is
 * not listed here fails tests/unit/project/modules.test.ts.
 */
export const gatewayModules = [
  cloudRunModule,
  spannerModule,
  gerritModule,
] as const satisfies readonly GatewayModule[];

/** The config keys of the registered modules: `cloudRun`, `spanner`, `gerrit`. */
export type RegisteredSectionKey = (typeof gatewayModules)[number]['configKey'];
