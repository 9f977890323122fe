import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exampleEnv } from '../../shared/config/example-env';

/** The repository's config document, as the functions bundle it. */
export function configDocument(): Record<string, unknown> {
  const file = fileURLToPath(new URL('../../config/crossgate.json', import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** A complete environment for config/crossgate.json with made-up URLs (for unit tests). */
export const unitTestEnv: Record<string, string> = exampleEnv;

/** The whole config narrowed to one module's function: the core and that section, which must exist. */
export function withSection<Config extends object, Key extends keyof Config & string>(
  config: Config,
  key: Key,
): Config & Record<Key, NonNullable<Config[Key]>> {
  const section = config[key];
  if (section === undefined || section === null)
    throw new Error(`the config has no ${key} section`);
  return { ...config, [key]: section } as Config & Record<Key, NonNullable<Config[Key]>>;
}
