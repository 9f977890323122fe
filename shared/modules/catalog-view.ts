import { InvalidConfigError } from '../config/config-error';
import type { PolicyTarget } from '../policy/catalog';
import type { Requirement } from '../policy/requirement';

/**
 * The catalog of a section whose targets sit in one map, each with a `policy`: a Cloud Run
 * service, a Spanner statement. The section comes from the compiled config, whose policies
 * were validated when it was compiled (shared/config/compile-config.ts), so only its shape is
 * read here, and no schema is loaded by /me.
 */
export function targetMapCatalog(
  section: unknown,
  options: { configKey: string; mapKey: string; route: string },
): PolicyTarget[] {
  const targets = objectAt(
    objectAt(section, options.configKey)[options.mapKey] ?? {},
    `${options.configKey}.${options.mapKey}`,
  );
  return Object.entries(targets).map(([target, entry]) => ({
    route: options.route,
    target,
    policy: objectAt(entry, `${options.configKey}.${options.mapKey}.${target}`)
      .policy as Requirement,
  }));
}

/** `value` as an object, or the config error that names where it is not one. */
export function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidConfigError([`${path}: expected an object`]);
  }
  return value as Record<string, unknown>;
}
