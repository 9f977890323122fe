import { ValidationError, type InvalidParameter } from '../errors';
import type { KnownGerritEndpoint } from './gerrit-endpoints';

/** ListChangesOption names: LABELS, CURRENT_REVISION, DETAILED_ACCOUNTS, ... */
const OPTION = /^[A-Z][A-Z_]{0,63}$/;
const MAX_QUERY_LENGTH = 2000;
const MAX_QUERIES = 10;
const MAX_OPTIONS = 30;
const MAX_VALUE_LENGTH = 500;
/** Parameters Gerrit accepts more than once: several queries, several options. */
const REPEATABLE = new Set(['q', 'o']);
const PROJECT_STATES = new Set(['ACTIVE', 'READ_ONLY', 'HIDDEN']);
const PROJECT_TYPES = new Set(['ALL', 'CODE', 'PERMISSIONS']);

/**
 * The query string of a Gerrit call, checked against what the endpoint documents, rebuilt
 * for Gerrit. Query Changes gets `n` capped at `maxChanges` (and set to it when absent) so
 * that no query asks Gerrit for everything; every other value is passed on as sent.
 *
 * @example
 *   gerritQuery(known, 'q=status:open&q=owner:self&o=LABELS', 50).toString()
 *   // 'q=status%3Aopen&q=owner%3Aself&o=LABELS&n=50'
 */
export function gerritQuery(
  endpoint: KnownGerritEndpoint,
  rawQueryString: string | undefined,
  maxChanges: number,
): URLSearchParams {
  const search = new URLSearchParams(rawQueryString ?? '');
  const invalid: InvalidParameter[] = [];
  const allowed = new Set(endpoint.query);
  for (const name of new Set(search.keys())) {
    if (!allowed.has(name)) {
      invalid.push({
        name: `query.${name}`,
        reason: `not a parameter of this endpoint (${endpoint.query.join(', ') || 'none'})`,
      });
      continue;
    }
    const values = search.getAll(name);
    if (!REPEATABLE.has(name) && values.length > 1) {
      invalid.push({ name: `query.${name}`, reason: 'may be given once' });
    }
    if (values.some((value) => value.length > MAX_VALUE_LENGTH && name !== 'q')) {
      invalid.push({ name: `query.${name}`, reason: `at most ${MAX_VALUE_LENGTH} characters` });
    }
  }
  checkOptions(search.getAll('o'), invalid);
  if (endpoint.kind === 'queryChanges') checkChangeQuery(search, invalid);
  if (endpoint.kind === 'projects') checkProjectList(search, invalid);
  if (invalid.length > 0) throw new ValidationError('the query parameters are invalid', invalid);

  if (endpoint.kind === 'queryChanges') {
    const n = search.get('n');
    search.set('n', String(Math.min(n === null ? maxChanges : Number(n), maxChanges)));
  }
  return search;
}

function checkOptions(options: string[], invalid: InvalidParameter[]): void {
  if (options.length > MAX_OPTIONS) {
    invalid.push({ name: 'query.o', reason: `at most ${MAX_OPTIONS} options` });
  }
  for (const option of options) {
    if (!OPTION.test(option)) {
      invalid.push({
        name: 'query.o',
        reason: `"${option.slice(0, 64)}" is not a Gerrit option name such as LABELS`,
      });
    }
  }
}

function checkChangeQuery(search: URLSearchParams, invalid: InvalidParameter[]): void {
  const queries = search.getAll('q');
  if (queries.length > MAX_QUERIES) {
    invalid.push({ name: 'query.q', reason: `at most ${MAX_QUERIES} queries` });
  }
  if (queries.some((q) => q.trim() === '' || q.length > MAX_QUERY_LENGTH)) {
    invalid.push({ name: 'query.q', reason: `must be 1 to ${MAX_QUERY_LENGTH} characters` });
  }
  if (search.has('S') && search.has('start')) {
    invalid.push({ name: 'query.start', reason: 'S and start are the same; give one' });
  }
  integer(search, 'n', 1, invalid);
  integer(search, 'S', 0, invalid);
  integer(search, 'start', 0, invalid);
}

function checkProjectList(search: URLSearchParams, invalid: InvalidParameter[]): void {
  integer(search, 'n', 1, invalid);
  integer(search, 'S', 0, invalid);
  const state = search.get('state');
  if (state !== null && !PROJECT_STATES.has(state)) {
    invalid.push({ name: 'query.state', reason: 'one of ACTIVE, READ_ONLY, HIDDEN' });
  }
  const type = search.get('type');
  if (type !== null && !PROJECT_TYPES.has(type)) {
    invalid.push({ name: 'query.type', reason: 'one of ALL, CODE, PERMISSIONS' });
  }
}

function integer(
  search: URLSearchParams,
  name: string,
  min: number,
  invalid: InvalidParameter[],
): void {
  const value = search.get(name);
  if (value === null) return;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) {
    invalid.push({ name: `query.${name}`, reason: `must be an integer of at least ${min}` });
  }
}
