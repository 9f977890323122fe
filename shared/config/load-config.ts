import * as z from 'zod';
import type { GatewayModule } from '../modules/gateway-module';
import { pathText } from './compiled-config';
import { InvalidConfigError, type ConfigIssue } from './config-error';
import { interpolateEnv, MissingVariableError } from './interpolate';
import { coreConfigSchema, type CoreConfig } from './schema';

export { InvalidConfigError };

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
  const issues: ConfigIssue[] = [];
  const record = (found: readonly z.core.$ZodIssue[], prefix?: string) => {
    for (const issue of found) {
      problems.push(describeIssue(issue, prefix));
      issues.push(structuredIssue(issue, prefix));
    }
  };
  const coreResult = coreConfigSchema.safeParse(interpolate(core, env, ''));
  if (!coreResult.success) record(coreResult.error.issues);

  const sections: Record<string, unknown> = {};
  for (const module of validated) {
    const raw = (document as Record<string, unknown>)[module.configKey];
    if (raw === undefined) continue;
    const result = module.schema.safeParse(interpolate(raw, env, module.configKey));
    if (result.success) sections[module.configKey] = result.data;
    else record(result.error.issues, module.configKey);
  }
  if (problems.length > 0 || !coreResult.success) throw new InvalidConfigError(problems, issues);
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

function issuePath(issue: z.core.$ZodIssue, prefix?: string): string {
  return pathText([
    ...(prefix ? [prefix] : []),
    ...issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
  ]);
}

function describeIssue(issue: z.core.$ZodIssue, prefix?: string): string {
  return `${issuePath(issue, prefix) || '(root)'}: ${issue.message}`;
}

function structuredIssue(issue: z.core.$ZodIssue, prefix?: string): ConfigIssue {
  const details = issue as { format?: unknown; expected?: unknown; pattern?: unknown };
  return {
    path: issuePath(issue, prefix),
    code: issue.code,
    ...(typeof details.format === 'string' ? { format: details.format } : {}),
    ...(typeof details.expected === 'string' ? { expected: details.expected } : {}),
    ...(typeof details.pattern === 'string' ? { pattern: details.pattern } : {}),
  };
}
