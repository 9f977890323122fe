/**
 * Resolves `${env:NAME}` and `${env:NAME:-default}` placeholders in a config document.
 *
 * Per-stage values (issuer URLs, pool ids, secret ids, backend URLs) reach the Lambda as
 * environment variables set by serverless.yml parameters; this is the only place that turns
 * them into config. A string that is exactly one placeholder resolving to "" is dropped, so
 * optional keys can be switched off per stage.
 */
const PLACEHOLDER = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** True for a string that holds a placeholder (no `g` flag: `test` keeps no state). */
export const PLACEHOLDER_TEST = /\$\{env:[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}/;

export class MissingVariableError extends Error {
  constructor(
    readonly path: string,
    readonly variable: string,
  ) {
    super(`config key "${path}" needs environment variable ${variable}, which is not set`);
  }
}

export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path = '',
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, path);
  if (Array.isArray(value)) {
    return value
      .map((item, index) => interpolateEnv(item, env, `${path}[${index}]`))
      .filter((item) => item !== undefined);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const resolved = interpolateEnv(inner, env, path ? `${path}.${key}` : key);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }
  return value;
}

function interpolateString(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
  path: string,
): string | undefined {
  const resolved = value.replace(PLACEHOLDER, (_match, name: string, fallback?: string) => {
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (fallback !== undefined) return fallback;
    throw new MissingVariableError(path, name);
  });
  return resolved === '' && value !== '' ? undefined : resolved;
}
