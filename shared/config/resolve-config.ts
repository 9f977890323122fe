import type { CoreConfig } from './schema';
import { InvalidConfigError } from './config-error';
import { getAt, pathText, setAt, type CompiledConfig, type ConfigSlot } from './compiled-config';
import { interpolateEnv, MissingVariableError } from './interpolate';

/**
 * A function's config at container start, from the compiled config: the core and the sections
 * it serves, with their placeholders resolved from the environment and each resolved value
 * checked as its field requires (the rest was validated when the config was compiled). Other
 * sections are neither resolved nor checked, so a function needs only its own variables.
 *
 * @throws InvalidConfigError naming the key (and the variable, when one is missing)
 * @example resolveConfig(compiledConfig, process.env, ['spanner'])
 */
export function resolveConfig(
  compiled: CompiledConfig,
  env: Readonly<Record<string, string | undefined>>,
  sections: readonly string[] = [],
): CoreConfig & Record<string, unknown> {
  const wanted = new Set(sections);
  const sectionKeys = new Set(compiled.sectionKeys);
  const scope: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(compiled.document)) {
    if (!sectionKeys.has(key) || wanted.has(key)) scope[key] = value;
  }
  let resolved: Record<string, unknown>;
  try {
    resolved = interpolateEnv(scope, env) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof MissingVariableError) throw new InvalidConfigError([error.message]);
    throw error;
  }
  const problems: string[] = [];
  for (const slot of compiled.slots) {
    const top = slot.path[0];
    // Slots of sections this function does not serve are not its concern.
    if (typeof top !== 'string' || !(top in scope)) continue;
    const problem = applySlot(resolved, slot);
    if (problem) problems.push(`${pathText(slot.path)}: ${problem}`);
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return resolved as CoreConfig & Record<string, unknown>;
}

/** Checks (and for numbers converts) one resolved placeholder; the problem, if any. */
function applySlot(config: Record<string, unknown>, slot: ConfigSlot): string | undefined {
  const value = getAt(config, slot.path);
  if (value === undefined) {
    if (slot.required)
      return 'its environment variable resolves to nothing, and the key is required';
    if (slot.fallback !== undefined) setAt(config, slot.path, slot.fallback);
    return undefined;
  }
  const text = String(value);
  // The value itself is not quoted: this message reaches the function's log, and a variable
  // set by mistake may hold anything, a secret included. Its length helps find the mistake.
  const theValue = `the value (${text.length} characters)`;
  switch (slot.check) {
    case 'url':
      return URL.canParse(text) ? undefined : `${theValue} is not a URL`;
    case 'number': {
      const number = Number(text);
      if (text.trim() === '' || !Number.isFinite(number)) return `${theValue} is not a number`;
      setAt(config, slot.path, number);
      return undefined;
    }
    case 'pattern':
      return new RegExp(slot.pattern ?? '', slot.flags).test(text)
        ? undefined
        : `${theValue} does not match ${slot.pattern}`;
    default:
      return undefined;
  }
}
