import compiledDocument from '../../config/crossgate.compiled.json' with { type: 'json' };
import type { CompiledConfig } from './compiled-config';
import { InvalidConfigError } from './config-error';
import { resolveConfig } from './resolve-config';
import type { CoreConfig } from './schema';

/**
 * The compiled config this artifact carries. In a package it is the one compiled for the
 * stage (deploy/compiled-config-plugin.mjs); offline and in the repository it is
 * config/crossgate.compiled.json, written by `npm run config` and when the offline stack
 * starts, from config/crossgate.json.
 */
export const compiledConfig: CompiledConfig = checkedCompiledConfig(compiledDocument);

/** The shape of the compiled file, checked once: a packaging bug fails the init, named. */
function checkedCompiledConfig(value: unknown): CompiledConfig {
  const candidate = value as Partial<CompiledConfig> | null;
  if (
    !candidate ||
    typeof candidate.document !== 'object' ||
    !Array.isArray(candidate.slots) ||
    !Array.isArray(candidate.sectionKeys)
  ) {
    throw new InvalidConfigError(['the compiled config is damaged: run `npm run config`']);
  }
  return candidate as CompiledConfig;
}

/** The core config of this container (/health, /me, the JWKS, the edge authorizer). */
export function containerCoreConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CoreConfig {
  return resolveConfig(compiledConfig, env);
}

/** The config of a module's function: the core and the module's own section, which must exist. */
export function containerSectionConfig<Section>(
  configKey: string,
  functionName: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CoreConfig & Record<string, Section> {
  const config = resolveConfig(compiledConfig, env, [configKey]);
  if (config[configKey] === undefined) {
    throw new InvalidConfigError([`${configKey}: the ${functionName} function needs this section`]);
  }
  return config as CoreConfig & Record<string, Section>;
}
