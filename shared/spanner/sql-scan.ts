/**
 * A small lexical scan of a configured SQL statement: its placeholders, its leading keyword
 * and whether more than one statement follows. Used by config validation only.
 *
 * Written by hand because no maintained JavaScript lexer for Spanner's GoogleSQL or
 * PostgreSQL dialects exists; it only needs to know what is a string, a quoted identifier
 * or a comment, so that an `@name` or `$1` inside them is not taken for a placeholder.
 */
export type SqlDialect = 'GOOGLE_STANDARD_SQL' | 'POSTGRESQL';

export interface SqlScan {
  /** Placeholder names in order of first use: `id` for `@id`, `1` for `$1`. */
  placeholders: string[];
  /** The first keyword, upper-cased, after comments, `(` and statement hints. */
  leadingKeyword: string | undefined;
  /** True when another statement follows a `;`. */
  multipleStatements: boolean;
  /** A literal or comment that never ends. */
  unterminated?: string;
}

const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

export function scanSql(sql: string, dialect: SqlDialect = 'GOOGLE_STANDARD_SQL'): SqlScan {
  const placeholders: string[] = [];
  let leadingKeyword: string | undefined;
  let sawStatementEnd = false;
  let multipleStatements = false;
  let i = 0;
  const google = dialect === 'GOOGLE_STANDARD_SQL';

  const fail = (what: string): SqlScan => ({
    placeholders,
    leadingKeyword,
    multipleStatements,
    unterminated: what,
  });
  const addPlaceholder = (name: string) => {
    if (!placeholders.includes(name)) placeholders.push(name);
  };

  while (i < sql.length) {
    const c = sql[i] as string;
    const next = sql[i + 1];

    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (sawStatementEnd && c !== ';') multipleStatements = true;

    // Comments.
    if ((c === '-' && next === '-') || (google && c === '#')) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) return fail('comment');
      i = end + 2;
      continue;
    }

    // String and bytes literals, quoted identifiers.
    if (google && /[rRbB]/.test(c) && (next === "'" || next === '"' || /[rRbB]/.test(next ?? ''))) {
      const prefixLength = /[rRbB]/.test(next ?? '') && /['"]/.test(sql[i + 2] ?? '') ? 2 : 1;
      const prefix = sql.slice(i, i + prefixLength).toLowerCase();
      if (/['"]/.test(sql[i + prefixLength] ?? '')) {
        const end = skipGoogleString(sql, i + prefixLength, prefix.includes('r'));
        if (end === -1) return fail('string literal');
        i = end;
        continue;
      }
    }
    if (google && (c === "'" || c === '"')) {
      const end = skipGoogleString(sql, i, false);
      if (end === -1) return fail('string literal');
      i = end;
      continue;
    }
    if (google && c === '`') {
      const end = skipUntil(sql, i + 1, '`', true);
      if (end === -1) return fail('quoted identifier');
      i = end;
      continue;
    }
    if (!google && (c === "'" || c === '"')) {
      const escapes = c === "'" && /[eE]/.test(sql[i - 1] ?? '');
      const end = skipPostgresQuoted(sql, i, escapes);
      if (end === -1) return fail(c === "'" ? 'string literal' : 'quoted identifier');
      i = end;
      continue;
    }
    if (!google && c === '$' && !DIGIT.test(next ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        if (end === -1) return fail('dollar-quoted string');
        i = end + tag[0].length;
        continue;
      }
    }

    // Placeholders.
    if (google && c === '@') {
      if (next === '{') {
        // A hint such as @{FORCE_INDEX=...}; not a parameter.
        const end = sql.indexOf('}', i);
        if (end === -1) return fail('hint');
        i = end + 1;
        continue;
      }
      if (next !== undefined && IDENTIFIER_START.test(next)) {
        let end = i + 1;
        while (end < sql.length && IDENTIFIER_PART.test(sql[end] as string)) end += 1;
        addPlaceholder(sql.slice(i + 1, end));
        i = end;
        continue;
      }
    }
    if (!google && c === '$' && DIGIT.test(next ?? '')) {
      let end = i + 1;
      while (end < sql.length && DIGIT.test(sql[end] as string)) end += 1;
      addPlaceholder(String(Number(sql.slice(i + 1, end))));
      i = end;
      continue;
    }

    if (c === ';') {
      sawStatementEnd = true;
      i += 1;
      continue;
    }
    if (IDENTIFIER_START.test(c)) {
      let end = i + 1;
      while (end < sql.length && IDENTIFIER_PART.test(sql[end] as string)) end += 1;
      leadingKeyword ??= sql.slice(i, end).toUpperCase();
      i = end;
      continue;
    }
    i += 1;
  }
  return { placeholders, leadingKeyword, multipleStatements };
}

/** GoogleSQL '...', "...", '''...''' and """...""", with backslash escapes unless raw. */
function skipGoogleString(sql: string, start: number, raw: boolean): number {
  const quote = sql[start] as string;
  const triple = sql.startsWith(quote.repeat(3), start);
  const closing = triple ? quote.repeat(3) : quote;
  let i = start + closing.length;
  while (i < sql.length) {
    if (!raw && sql[i] === '\\') {
      i += 2;
      continue;
    }
    if (!triple && sql[i] === '\n') return -1;
    if (sql.startsWith(closing, i)) return i + closing.length;
    i += 1;
  }
  return -1;
}

function skipUntil(sql: string, start: number, closing: string, backslashEscapes: boolean): number {
  let i = start;
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') {
      i += 2;
      continue;
    }
    if (sql[i] === closing) return i + 1;
    i += 1;
  }
  return -1;
}

/** PostgreSQL '...' and "..." where a doubled quote escapes it; E'...' also takes backslashes. */
function skipPostgresQuoted(sql: string, start: number, backslashEscapes: boolean): number {
  const quote = sql[start] as string;
  let i = start + 1;
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') {
      i += 2;
      continue;
    }
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  return -1;
}

const QUERY_KEYWORDS = new Set(['SELECT', 'WITH', 'FROM', 'GRAPH', 'VALUES', 'TABLE']);
const DML_KEYWORDS = new Set(['INSERT', 'UPDATE', 'DELETE']);

export function isQueryKeyword(keyword: string | undefined): boolean {
  return keyword !== undefined && QUERY_KEYWORDS.has(keyword);
}

export function isDmlKeyword(keyword: string | undefined): boolean {
  return keyword !== undefined && DML_KEYWORDS.has(keyword);
}
