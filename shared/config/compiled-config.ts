/**
 * The config as the functions load it: config/crossgate.json compiled (compile-config.ts),
 * validated and normalised, with its `${env:...}` placeholders and the check each needs.
 * Nothing here loads zod or a schema: this is what a function reads at start.
 */
export interface CompiledConfig {
  compiledFrom: string;
  /** The top-level keys that are a backend module's section (the rest is the core). */
  sectionKeys: string[];
  /** The normalised document; placeholders stand where the file had them. */
  document: Record<string, unknown>;
  slots: ConfigSlot[];
}

/** A key, as a list of object keys and array indexes. */
export type ConfigPath = (string | number)[];

/** One placeholder of the document and what its resolved value must be. */
export interface ConfigSlot {
  path: ConfigPath;
  /** `number` also turns the resolved text into a number, as the schema's coercion did. */
  check: 'string' | 'url' | 'number' | 'pattern';
  /** For `pattern`: the RegExp source and flags. */
  pattern?: string;
  flags?: string;
  /** The key may not be left out (its placeholder resolved to nothing). */
  required?: boolean;
  /** What the schema put there when the key was left out. */
  fallback?: unknown;
}

/** The key as config errors name it: `issuers[0].clientIds[0]`. */
export function pathText(path: ConfigPath): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`,
    )
    .join('');
}

type Container = Record<string | number, unknown>;

/** The object or array holding the key at `path`, and the key itself. */
function parentOf(root: Container, path: ConfigPath): [Container, string | number] | undefined {
  const last = path.at(-1);
  if (last === undefined) return undefined;
  let current: unknown = root;
  for (const part of path.slice(0, -1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Container)[part];
  }
  return current !== null && typeof current === 'object' ? [current as Container, last] : undefined;
}

export function getAt(root: Record<string, unknown>, path: ConfigPath): unknown {
  const found = parentOf(root, path);
  return found ? found[0][found[1]] : undefined;
}

/** Sets the value at `path`, making the objects and arrays on the way that are missing. */
export function setAt(root: Record<string, unknown>, path: ConfigPath, value: unknown): void {
  let current: Container = root;
  for (const [index, part] of path.slice(0, -1).entries()) {
    const next = current[part];
    if (next === null || typeof next !== 'object') {
      current[part] = typeof path[index + 1] === 'number' ? [] : {};
    }
    current = current[part] as Container;
  }
  const last = path.at(-1);
  if (last !== undefined) current[last] = value;
}

/** Removes the key at `path`; an array item is spliced out, as interpolation drops one. */
export function deleteAt(root: Record<string, unknown>, path: ConfigPath): void {
  const found = parentOf(root, path);
  if (!found) return;
  const [container, key] = found;
  if (Array.isArray(container) && typeof key === 'number') container.splice(key, 1);
  else Reflect.deleteProperty(container, key);
}
