import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileConfig } from './compile-config';

const sourceFile = fileURLToPath(new URL('../../config/crossgate.json', import.meta.url));
const compiledFile = fileURLToPath(
  new URL('../../config/crossgate.compiled.json', import.meta.url),
);

/**
 * config/crossgate.json compiled against `env`, as the text of the compiled file.
 *
 * @throws InvalidConfigError naming every bad key
 */
export function compiledConfigText(env: Readonly<Record<string, string | undefined>>): string {
  const document = JSON.parse(readFileSync(sourceFile, 'utf8')) as Record<string, unknown>;
  return `${JSON.stringify(compileConfig(document, env), null, 2)}\n`;
}

/**
 * Compiles config/crossgate.json against `env` and writes config/crossgate.compiled.json when
 * it changed, whole (a rename), so that a function loading it never reads half a file.
 *
 * @returns whether the file was written
 * @throws InvalidConfigError naming every bad key; nothing is written then
 */
export function writeCompiledConfig(env: Readonly<Record<string, string | undefined>>): boolean {
  const text = compiledConfigText(env);
  let current: string | undefined;
  try {
    current = readFileSync(compiledFile, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) return false;
  const temporary = `${compiledFile}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, compiledFile);
  return true;
}
