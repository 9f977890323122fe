import * as z from 'zod';
import { InvalidConfigError } from '../config/load-config';
import type { PolicyTarget } from '../policy/catalog';
import { requirementSchema } from '../policy/requirement';

const guarded = z.looseObject({ policy: requirementSchema });

/**
 * The catalog of a section whose targets sit in one map, each with a `policy`: a Cloud Run
 * service, a Spanner statement. Only the policies are read and checked.
 */
export function targetMapCatalog(
  rawSection: unknown,
  options: { configKey: string; mapKey: string; route: string },
): PolicyTarget[] {
  const view = z.looseObject({ [options.mapKey]: z.record(z.string(), guarded) });
  const result = view.safeParse(rawSection);
  if (!result.success) {
    throw new InvalidConfigError(
      result.error.issues.map(
        (issue) => `${[options.configKey, ...issue.path].join('.')}: ${issue.message}`,
      ),
    );
  }
  const targets = result.data[options.mapKey] ?? {};
  return Object.entries(targets).map(([target, { policy }]) => ({
    route: options.route,
    target,
    policy,
  }));
}
