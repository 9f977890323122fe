import type * as z from 'zod';
import configDocument from '../../config/crossgate.json' with { type: 'json' };
import { interpolateEnv, mergeStage, MissingVariableError } from './interpolate';
import { configSchema, type GatewayConfig } from './schema';

/** Thrown at container start for a bad config file; the message names every bad key. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid crossgate config: ${problems.join('; ')}`);
    this.name = 'InvalidConfigError';
  }
}

/**
 * Validates a config document for one environment.
 *
 * @example
 *   const config = parseConfig(JSON.parse(text), { CROSSGATE_STAGE: 'prod', ...process.env });
 */
export function parseConfig(
  document: unknown,
  env: Readonly<Record<string, string | undefined>>,
): GatewayConfig {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new InvalidConfigError(['the config must be a JSON object']);
  }
  const { stages, ...base } = document as Record<string, unknown> & { stages?: unknown };
  const stage = env.CROSSGATE_STAGE;
  const stageOverride =
    stage && stages && typeof stages === 'object'
      ? (stages as Record<string, unknown>)[stage]
      : undefined;
  const merged = mergeStage(base, stageOverride);

  let interpolated: unknown;
  try {
    interpolated = interpolateEnv(merged, env);
  } catch (error) {
    if (error instanceof MissingVariableError) throw new InvalidConfigError([error.message]);
    throw error;
  }

  const result = configSchema.safeParse(interpolated);
  if (!result.success) throw new InvalidConfigError(result.error.issues.map(describeIssue));
  return result.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
  return `${path || '(root)'}: ${issue.message}`;
}

let containerConfig: GatewayConfig | undefined;

/** The config of this container, parsed once from config/crossgate.json and the environment. */
export function loadConfig(): GatewayConfig {
  containerConfig ??= parseConfig(configDocument, process.env);
  return containerConfig;
}
