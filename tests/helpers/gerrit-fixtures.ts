import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseGerritJson } from '../../shared/gerrit/gerrit-json';

/** Copies of Gerrit's documentation examples (from shared/fixtures/gerrit), kept in the repo. */
export function gerritFixture(name: string): string {
  return readFileSync(
    fileURLToPath(new URL(`../fixtures/gerrit/${name}`, import.meta.url)),
    'utf8',
  );
}

/**
 * A documentation example as JSON. Gerrit's docs are hand-edited and some examples carry
 * trailing commas that Gerrit's Gson never emits; those are dropped before strict parsing.
 */
export function gerritFixtureJson(name: string): unknown {
  return parseGerritJson(gerritFixture(name).replace(/,(\s*[}\]])/g, '$1'));
}
