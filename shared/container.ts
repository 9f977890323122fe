import type { GatewayLogger } from './logging/gateway-logger';
import { TokenVerifier } from './auth/token-verifier';
import { containerCoreConfig, containerSectionConfig } from './config/compiled-document';
import type { CoreConfig } from './config/schema';
import { logger } from './logging/logger';
import type { GatewayModule, ModuleConfig } from './modules/gateway-module';

/** What every route of a function shares, created once per container. */
export interface GatewayDependencies<Config extends CoreConfig = CoreConfig> {
  config: Config;
  verifier: Pick<TokenVerifier, 'verify'>;
  logger: GatewayLogger;
}

let coreDependencies: GatewayDependencies | undefined;
const moduleDependencies = new Map<string, GatewayDependencies>();

/**
 * Lifetime: the container. The config was validated when it was compiled (at package time);
 * here its placeholders are resolved from the environment and checked, at cold start, so a bad
 * value fails the init with a message naming the key instead of failing requests one by one.
 * /health and /me resolve the core only.
 */
export function containerCoreDependencies(): GatewayDependencies {
  if (!coreDependencies) {
    const config = containerCoreConfig();
    coreDependencies = { config, verifier: TokenVerifier.create(config), logger };
  }
  return coreDependencies;
}

/** The container's dependencies for a module's function: the core plus its own section. */
export function containerModuleDependencies<Key extends string, Section>(
  module: GatewayModule<Key>,
): GatewayDependencies<ModuleConfig<Key, Section>> {
  const known = moduleDependencies.get(module.configKey);
  if (known) return known as GatewayDependencies<ModuleConfig<Key, Section>>;
  const config = containerSectionConfig<Section>(
    module.configKey,
    module.functionName,
  ) as ModuleConfig<Key, Section>;
  const created = { config, verifier: TokenVerifier.create(config), logger };
  moduleDependencies.set(module.configKey, created);
  return created;
}
