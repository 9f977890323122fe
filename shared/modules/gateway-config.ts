import type * as z from 'zod';
import { cloudRunSchema, type CloudRunConfig } from '../cloud-run/config-schema';
import { parseConfig } from '../config/load-config';
import type { CoreConfig } from '../config/schema';
import { gerritSchema, type GerritConfig } from '../gerrit/config-schema';
import { spannerSchema, type SpannerConfig } from '../spanner/config-schema';
import { gatewayModules, type RegisteredSectionKey } from './registry';

/**
 * The schema of every registered module's section. The type makes a registered module without
 * a schema here a compile error. Functions never load this file: each validates only its own
 * section; this serves checks of the whole file (tests, benchmarks, packaging).
 */
const sectionSchemas = {
  cloudRun: cloudRunSchema,
  spanner: spannerSchema,
  gerrit: gerritSchema,
} as const satisfies Record<RegisteredSectionKey, z.ZodType>;

/** The whole config: the core and every section present in the file. */
export interface GatewayConfig extends CoreConfig {
  cloudRun?: CloudRunConfig;
  spanner?: SpannerConfig;
  gerrit?: GerritConfig;
}

/** Validates the whole document, every section present, as a deployment of all functions would. */
export function parseGatewayConfig(
  document: unknown,
  env: Readonly<Record<string, string | undefined>>,
): GatewayConfig {
  return parseConfig(document, env, {
    modules: gatewayModules,
    validate: Object.entries(sectionSchemas).map(([configKey, schema]) => ({ configKey, schema })),
  });
}
