import type { Logger } from '@aws-lambda-powertools/logger';
import type * as z from 'zod';
import { TokenVerifier } from './auth/token-verifier';
import { loadCoreConfig, loadModuleConfig } from './config/load-config';
import type { CoreConfig } from './config/schema';
import { logger } from './logging/logger';
import type { GatewayModule, ModuleConfig } from './modules/gateway-module';
import { gatewayModules } from './modules/registry';

/** What every route of a function shares, created once per container. */
export interface GatewayDependencies<Config extends CoreConfig = CoreConfig> {
  config: Config;
  verifier: Pick<TokenVerifier, 'verify'>;
  logger: Logger;
}

let coreDependencies: GatewayDependencies | undefined;
const moduleDependencies = new Map<string, GatewayDependencies>();

/**
 * Lifetime: the container. Config is validated here, at cold start, so a bad file fails the
 * init with a message naming the key instead of failing requests one by one. /health and /me
 * validate the core only.
 */
export function containerCoreDependencies(): GatewayDependencies {
  if (!coreDependencies) {
    const config = loadCoreConfig(gatewayModules);
    coreDependencies = { config, verifier: TokenVerifier.create(config), logger };
  }
  return coreDependencies;
}

/** The container's dependencies for a module's function: the core plus its own section. */
export function containerModuleDependencies<Key extends string, Section>(
  module: GatewayModule<Key>,
  schema: z.ZodType<Section>,
): GatewayDependencies<ModuleConfig<Key, Section>> {
  const known = moduleDependencies.get(module.configKey);
  if (known) return known as GatewayDependencies<ModuleConfig<Key, Section>>;
  const config = loadModuleConfig(module, schema, gatewayModules);
  const created = { config, verifier: TokenVerifier.create(config), logger };
  moduleDependencies.set(module.configKey, created);
  return created;
}
