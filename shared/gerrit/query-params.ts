import { ValidationError, type InvalidParameter } from '../errors';

export interface QueryChangesParams {
  q?: string;
  n: number;
  start?: number;
  options: string[];
}

const ALLOWED = new Set(['q', 'n', 'S', 'o']);
/** ListChangesOption names: LABELS, CURRENT_REVISION, DETAILED_ACCOUNTS, ... */
const OPTION = /^[A-Z][A-Z_]{0,63}$/;
const MAX_QUERY_LENGTH = 2000;
const MAX_OPTIONS = 20;

/**
 * Parses `GET /gerrit/changes?q=&n=&S=&o=` (o may repeat). n is capped at maxChanges, and is
 * maxChanges when absent, so no query asks Gerrit for everything.
 */
export function parseQueryChangesParams(
  rawQueryString: string | undefined,
  maxChanges: number,
): QueryChangesParams {
  const search = new URLSearchParams(rawQueryString ?? '');
  const invalid: InvalidParameter[] = [];
  for (const name of new Set(search.keys())) {
    if (!ALLOWED.has(name))
      invalid.push({ name: `query.${name}`, reason: 'not a supported parameter (q, n, S, o)' });
  }
  for (const name of ['q', 'n', 'S']) {
    if (search.getAll(name).length > 1)
      invalid.push({ name: `query.${name}`, reason: 'may be given once' });
  }

  const q = search.get('q') ?? undefined;
  if (q !== undefined && (q.trim() === '' || q.length > MAX_QUERY_LENGTH)) {
    invalid.push({ name: 'query.q', reason: `must be 1 to ${MAX_QUERY_LENGTH} characters` });
  }
  const n = integerParam(search.get('n'), 'query.n', 1, invalid);
  const start = integerParam(search.get('S'), 'query.S', 0, invalid);
  const options = search.getAll('o');
  if (options.length > MAX_OPTIONS)
    invalid.push({ name: 'query.o', reason: `at most ${MAX_OPTIONS} options` });
  for (const option of options) {
    if (!OPTION.test(option))
      invalid.push({
        name: 'query.o',
        reason: `"${option.slice(0, 64)}" is not a Gerrit option name such as LABELS`,
      });
  }
  if (invalid.length > 0) throw new ValidationError('the change query is invalid', invalid);
  return {
    ...(q === undefined ? {} : { q }),
    n: Math.min(n ?? maxChanges, maxChanges),
    ...(start === undefined ? {} : { start }),
    options,
  };
}

function integerParam(
  value: string | null,
  name: string,
  min: number,
  invalid: InvalidParameter[],
): number | undefined {
  if (value === null) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) {
    invalid.push({ name, reason: `must be an integer of at least ${min}` });
    return undefined;
  }
  return Number(value);
}
