import { describe, expect, it } from 'vitest';
import configDocument from '../../../../config/crossgate.json' with { type: 'json' };
import { InvalidConfigError } from '../../../../shared/config/load-config';
import { parseGatewayConfig as parseConfig } from '../../../../shared/modules/gateway-config';
import { spannerSchema } from '../../../../shared/spanner/config-schema';

const env = {
  CROSSGATE_COGNITO_USER_POOL_ID: 'us-east-1_abc',
  CROSSGATE_COGNITO_CLIENT_ID: 'client',
  CROSSGATE_OIDC_ISSUER: 'http://127.0.0.1:4410',
  CROSSGATE_OIDC_JWKS_URI: 'http://127.0.0.1:4410/jwks',
  CROSSGATE_BACKSTAGE_ISSUER: 'https://backstage.example.test/api/auth',
  CROSSGATE_BACKSTAGE_JWKS_URI: 'https://backstage.example.test/api/auth/.well-known/jwks.json',
  CROSSGATE_ECHO_URL: 'http://127.0.0.1:4430',
  CROSSGATE_LEDGER_URL: 'http://127.0.0.1:9',
  CROSSGATE_ISSUER_URL: 'http://127.0.0.1:3000',
  CROSSGATE_GERRIT_URL: 'http://127.0.0.1:4440',
};

const withStatement = (
  statement: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  ...configDocument,
  spanner: {
    ...configDocument.spanner,
    ...extra,
    statements: { probe: { policy: { authenticated: true }, ...statement } },
  },
});

const problemsOf = (document: unknown): string[] => {
  try {
    parseConfig(document, env);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('spanner config validation', () => {
  it('happy flow: the shipped config validates, with its seed statements', () => {
    const config = parseConfig(configDocument, {
      ...env,
      CROSSGATE_SPANNER_EMULATOR_HOST: '127.0.0.1:9010',
    });
    expect(Object.keys(config.spanner?.statements ?? {})).toEqual([
      'listSingers',
      'getSinger',
      'addSinger',
    ]);
    expect(config.spanner?.statements.getSinger?.params).toEqual({ id: 'INT64' });
    expect(config.spanner?.emulatorHost).toBe('127.0.0.1:9010');
    expect(parseConfig(configDocument, env).spanner?.emulatorHost).toBeUndefined();
  });

  it('happy flow: placeholders in strings, comments and quoted identifiers are not parameters', () => {
    const sql = `SELECT '@no', "@no", r'@no', """@no""", \`@no\` -- @no
      /* @no */ FROM T@{FORCE_INDEX=_BASE_TABLE} WHERE a = @yes # @no`;
    expect(problemsOf(withStatement({ sql, params: { yes: 'STRING' }, mode: 'read' }))).toEqual([]);
  });

  it('happy flow: types are normalized, ARRAY<...> included', () => {
    const parsed = spannerSchema.parse({
      projectId: 'p',
      instanceId: 'i',
      databaseId: 'd',
      statements: {
        s: {
          sql: 'SELECT @a, @b',
          params: { a: 'array< int64 >', b: 'timestamp' },
          mode: 'read',
          policy: { authenticated: true },
        },
      },
    });
    expect(parsed.statements.s?.params).toEqual({ a: 'ARRAY<INT64>', b: 'TIMESTAMP' });
  });

  it('error flow: a placeholder without a declared type names the statement and the placeholder', () => {
    expect(
      problemsOf(
        withStatement({
          sql: 'SELECT * FROM T WHERE a = @a AND b = @b',
          params: { a: 'INT64' },
          mode: 'read',
        }),
      ),
    ).toEqual(['spanner.statements.probe: sql uses @b but params declares no type for it']);
  });

  it('error flow: a declared parameter the SQL never uses', () => {
    expect(
      problemsOf(withStatement({ sql: 'SELECT 1', params: { unused: 'STRING' }, mode: 'read' })),
    ).toEqual([
      'spanner.statements.probe: params.unused is declared but the sql never uses @unused',
    ]);
  });

  it('error flow: a write statement whose SQL is a query', () => {
    expect(problemsOf(withStatement({ sql: '  (SELECT 1)', mode: 'write' }))).toEqual([
      'spanner.statements.probe: mode is write but the sql is a query (SELECT); use mode read',
    ]);
    expect(
      problemsOf(withStatement({ sql: 'WITH x AS (SELECT 1) SELECT * FROM x', mode: 'write' })),
    ).toEqual([
      'spanner.statements.probe: mode is write but the sql is a query (WITH); use mode read',
    ]);
  });

  it('error flow: a read statement that is DML, more than one statement, an unknown type', () => {
    expect(problemsOf(withStatement({ sql: 'DELETE FROM T WHERE TRUE', mode: 'read' }))).toEqual([
      'spanner.statements.probe: mode is read but the sql is DML (DELETE); use mode write',
    ]);
    expect(problemsOf(withStatement({ sql: 'SELECT 1; DROP TABLE T', mode: 'read' }))).toEqual([
      'spanner.statements.probe: sql must be exactly one statement',
    ]);
    expect(
      problemsOf(withStatement({ sql: 'SELECT @a', params: { a: 'INT32' }, mode: 'read' })),
    ).toEqual([
      expect.stringMatching(/^spanner\.statements\.probe\.params\.a: unsupported type "INT32"/),
    ]);
    expect(problemsOf(withStatement({ sql: "SELECT 'open", mode: 'read' }))).toEqual([
      'spanner.statements.probe: sql has an unterminated string literal',
    ]);
  });

  it('happy flow: PostgreSQL dialect binds $n to the n-th declared parameter', () => {
    expect(
      problemsOf(
        withStatement(
          {
            sql: 'SELECT * FROM t WHERE a = $1 AND b = $2',
            params: { a: 'INT64', b: 'STRING' },
            mode: 'read',
          },
          { dialect: 'POSTGRESQL' },
        ),
      ),
    ).toEqual([]);
    expect(
      problemsOf(
        withStatement(
          {
            sql: "SELECT '$3', $$ $2 $$, a FROM t WHERE a = $1",
            params: { a: 'INT64', b: 'STRING' },
            mode: 'read',
          },
          { dialect: 'POSTGRESQL' },
        ),
      ),
    ).toEqual(['spanner.statements.probe: params.b is declared but the sql never uses $2']);
  });
});
