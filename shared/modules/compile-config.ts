import { InvalidConfigError, type ConfigIssue } from '../config/config-error';
import {
  deleteAt,
  getAt,
  pathText,
  setAt,
  type CompiledConfig,
  type ConfigPath,
  type ConfigSlot,
} from '../config/compiled-config';
import { PLACEHOLDER_TEST } from '../config/interpolate';
import { parseGatewayConfig } from './gateway-config';
import { gatewayModules } from './registry';

/**
 * Compiles config/crossgate.json for the functions (issue 16, "config at package time"): the
 * whole file validated with zod against a stage's environment, and normalised (every default
 * filled in), with each `${env:...}` placeholder put back where it was, so that the function
 * still reads its values from its environment at start. With each placeholder goes the check
 * its field needs (shared/config/resolve-config.ts), found by asking the schema, so the Lambda
 * loads neither zod nor a schema: it resolves the placeholders and runs those small checks.
 *
 * Runs in `npm run package` (deploy/compiled-config-plugin.mjs, against the stage's
 * environment), when the offline stack starts, and in `npm run config`.
 *
 * @throws InvalidConfigError naming every bad key, as at container start before
 */
export function compileConfig(
  document: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): CompiledConfig {
  const validated = parseGatewayConfig(document, env);
  const normalised = JSON.parse(JSON.stringify(validated)) as Record<string, unknown>;
  const slots: ConfigSlot[] = [];
  for (const { path, template } of placeholdersOf(document)) {
    slots.push({ path, ...slotCheck(document, env, path), ...slotFallback(document, env, path) });
    setAt(normalised, path, template);
  }
  return {
    compiledFrom: 'config/crossgate.json',
    sectionKeys: gatewayModules.map((module) => module.configKey),
    document: orderedLike(document, normalised) as Record<string, unknown>,
    slots,
  };
}

/**
 * `value` with the keys of each object in the file's order, then the keys the schema added
 * (defaults) in the schema's order. Without it an optional placeholder key would sit where the
 * schema puts it when its variable was set at compile time, and last when it was not: the
 * compiled file would change with the environment it was checked against.
 */
function orderedLike(raw: unknown, value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      orderedLike(Array.isArray(raw) ? raw[index] : undefined, item),
    );
  }
  if (value === null || typeof value !== 'object') return value;
  const rawObject = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
  const keys = [
    ...Object.keys(rawObject).filter((key) => key in value),
    ...Object.keys(value).filter((key) => !(key in rawObject)),
  ];
  return Object.fromEntries(
    keys.map((key) => [
      key,
      orderedLike(
        (rawObject as Record<string, unknown>)[key],
        (value as Record<string, unknown>)[key],
      ),
    ]),
  );
}

const PROBE = 'x';

/**
 * What the field at `path` accepts, asked of the schema: the document is validated once more
 * with that one placeholder replaced by a probe value no URL, number or pattern accepts.
 */
function slotCheck(
  document: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  path: ConfigPath,
): Pick<ConfigSlot, 'check' | 'pattern' | 'flags'> {
  const probed = structuredClone(document);
  setAt(probed, path, PROBE);
  const issue = issuesOf(() => parseGatewayConfig(probed, env)).find(
    (found) => found.path === pathText(path),
  );
  if (!issue) return { check: 'string' };
  if (issue.code === 'invalid_format' && issue.format === 'url') return { check: 'url' };
  if (issue.code === 'invalid_type' && issue.expected === 'number') return { check: 'number' };
  if (issue.code === 'invalid_format' && issue.format === 'regex' && issue.pattern) {
    // zod reports the pattern as a RegExp literal, `/source/flags`.
    const literal = /^\/(.*)\/([a-z]*)$/s.exec(issue.pattern);
    return {
      check: 'pattern',
      pattern: literal?.[1] ?? issue.pattern,
      ...(literal?.[2] ? { flags: literal[2] } : {}),
    };
  }
  throw new InvalidConfigError([
    `${pathText(path)}: a placeholder cannot stand here, its field's check (${issue.code}) does not run at start`,
  ]);
}

/**
 * What the field takes when its placeholder resolves to nothing (dropped, as an optional key
 * is): the schema's default, nothing for an optional key, or an error for a required one.
 */
function slotFallback(
  document: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  path: ConfigPath,
): Pick<ConfigSlot, 'required' | 'fallback'> {
  const dropped = structuredClone(document);
  deleteAt(dropped, path);
  const outcome = parseOutcome(() => parseGatewayConfig(dropped, env));
  if ('issues' in outcome) {
    const parent = pathText(path.slice(0, -1));
    if (outcome.issues.some((issue) => issue.path.startsWith(parent))) return { required: true };
    return {};
  }
  const value = getAt(JSON.parse(JSON.stringify(outcome.value)) as Record<string, unknown>, path);
  return value === undefined ? {} : { fallback: value };
}

function parseOutcome<T>(parse: () => T): { value: T } | { issues: readonly ConfigIssue[] } {
  try {
    return { value: parse() };
  } catch (error) {
    if (error instanceof InvalidConfigError) return { issues: error.issues };
    throw error;
  }
}

function issuesOf(parse: () => unknown): readonly ConfigIssue[] {
  const outcome = parseOutcome(parse);
  return 'issues' in outcome ? outcome.issues : [];
}

/** Every string of the document that holds a placeholder, with its path. */
function placeholdersOf(
  value: unknown,
  path: ConfigPath = [],
): { path: ConfigPath; template: string }[] {
  if (typeof value === 'string')
    return PLACEHOLDER_TEST.test(value) ? [{ path, template: value }] : [];
  if (Array.isArray(value)) {
    const found = value.flatMap((item, index) => placeholdersOf(item, [...path, index]));
    // interpolate.ts drops array items that resolve to nothing, which would shift the paths
    // of the items after them.
    if (found.filter((slot) => slot.path.length === path.length + 1).length > 1) {
      throw new InvalidConfigError([`${pathText(path)}: at most one placeholder item per list`]);
    }
    return found;
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => placeholdersOf(inner, [...path, key]));
  }
  return [];
}
