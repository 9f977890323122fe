import * as z from 'zod';
import configDocument from '../../config/crossgate.json' with { type: 'json' };
import type { GatewayModule, ModuleConfig } from '../modules/gateway-module';
import { interpolateEnv, MissingVariableError } from './interpolate';
import { coreConfigSchema, type CoreConfig } from './schema';

/** Thrown at container start for a bad config file; the message names every bad key. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid crossgate config: ${problems.join('; ')}`);
    this.name = 'InvalidConfigError';
  }
}

/** A module's section key and the schema that validates it. */
export interface SectionSchema {
  configKey: string;
  schema: z.ZodType;
}

export interface ParseConfigOptions {
  /** Every module the gateway knows: their section keys are allowed at the top level. */
  modules: readonly GatewayModule[];
  /** The sections to interpolate and validate, each with its schema; default none. */
  validate?: readonly SectionSchema[];
}

/**
 * Validates a config document for one environment: the core, and the sections of the modules
 * in `validate`. Other modules' sections are neither interpolated nor validated, so a function
 * needs only its own environment variables and never runs another backend's checks.
 *
 * Per-stage values come from one place only: serverless.yml parameters, which reach the
 * functions as environment variables and the config as `${env:NAME}` placeholders.
 *
 * @example
 *   const config = parseConfig(JSON.parse(text), process.env, {
 *     modules: gatewayModules,
 *     validate: [{ configKey: 'spanner', schema: spannerSchema }],
 *   });
 */
export function parseConfig(
  document: unknown,
  env: Readonly<Record<string, string | undefined>>,
  options: ParseConfigOptions,
): CoreConfig & Record<string, unknown> {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new InvalidConfigError(['the config must be a JSON object']);
  }
  const validated = options.validate ?? [];
  const sectionKeys = new Set(options.modules.map((module) => module.configKey));
  const core: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    if (!sectionKeys.has(key)) core[key] = value;
  }

  const problems: string[] = [];
  const coreResult = coreConfigSchema.safeParse(interpolate(core, env, ''));
  if (!coreResult.success) problems.push(...coreResult.error.issues.map((i) => describeIssue(i)));

  const sections: Record<string, unknown> = {};
  for (const module of validated) {
    const raw = (document as Record<string, unknown>)[module.configKey];
    if (raw === undefined) continue;
    const result = module.schema.safeParse(interpolate(raw, env, module.configKey));
    if (result.success) sections[module.configKey] = result.data;
    else problems.push(...result.error.issues.map((i) => describeIssue(i, module.configKey)));
  }
  if (problems.length > 0 || !coreResult.success) throw new InvalidConfigError(problems);
  return { ...coreResult.data, ...sections };
}

function interpolate(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: string,
) {
  try {
    return interpolateEnv(value, env, path);
  } catch (error) {
    if (error instanceof MissingVariableError) throw new InvalidConfigError([error.message]);
    throw error;
  }
}

function describeIssue(issue: z.core.$ZodIssue, prefix?: string): string {
  const path = [...(prefix ? [prefix] : []), ...issue.path]
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
  return `${path || '(root)'}: ${issue.message}`;
}

/** The raw config file, as packaged: /me reads module policies from it without validating sections. */
export const rawConfigDocument: Readonly<Record<string, unknown>> = configDocument;

/**
 * The config of a module's function, parsed once per container from config/crossgate.json and
 * the environment: the core plus that module's section, validated with the module's schema.
 * A function whose section is missing from the file fails at start, naming the key.
 */
export function loadModuleConfig<Key extends string, Section>(
  module: GatewayModule<Key>,
  schema: z.ZodType<Section>,
  modules: readonly GatewayModule[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): ModuleConfig<Key, Section> {
  const config = parseConfig(configDocument, env, {
    modules,
    validate: [{ configKey: module.configKey, schema }],
  });
  const section = config[module.configKey];
  if (section === undefined) {
    throw new InvalidConfigError([
      `${module.configKey}: the ${module.functionName} function needs this section`,
    ]);
  }
  return { ...config, [module.configKey]: section as Section } as ModuleConfig<Key, Section>;
}

/** The core config only: /health and /me, which serve no backend. */
export function loadCoreConfig(
  modules: readonly GatewayModule[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): CoreConfig {
  return parseConfig(configDocument, env, { modules });
}
