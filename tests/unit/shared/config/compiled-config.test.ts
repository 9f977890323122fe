import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cloudRunSchema } from '../../../../shared/cloud-run/config-schema';
import { InvalidConfigError } from '../../../../shared/config/config-error';
import { exampleEnv } from '../../../../shared/config/example-env';
import { parseConfig } from '../../../../shared/config/load-config';
import { resolveConfig } from '../../../../shared/config/resolve-config';
import { gerritSchema } from '../../../../shared/gerrit/config-schema';
import { compileConfig } from '../../../../shared/modules/compile-config';
import { compiledConfigText } from '../../../../shared/modules/compiled-config-file';
import { gatewayModules } from '../../../../shared/modules/registry';
import { spannerSchema } from '../../../../shared/spanner/config-schema';
import { configDocument } from '../../../helpers/config';

const compiled = compileConfig(configDocument(), exampleEnv);
const schemas = { cloudRun: cloudRunSchema, spanner: spannerSchema, gerrit: gerritSchema };

/** What zod made of the file before (the reference): the core and one section, from `env`. */
function zodParsed(env: Record<string, string>, section?: keyof typeof schemas) {
  return parseConfig(configDocument(), env, {
    modules: gatewayModules,
    validate: section ? [{ configKey: section, schema: schemas[section] }] : [],
  });
}

function problemOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidConfigError');
}

/** Environments a stage can give, each different from the one the file was compiled with. */
const environments: Record<string, Record<string, string>> = {
  example: exampleEnv,
  offline: {
    ...exampleEnv,
    CROSSGATE_COGNITO_JWKS_URI: 'http://127.0.0.1:4400/us-east-1_TestPool1/.well-known/jwks.json',
    CROSSGATE_AWS_ENDPOINT: 'http://127.0.0.1:5000',
    CROSSGATE_GOOGLE_OAUTH2_URL: 'http://127.0.0.1:4420',
    CROSSGATE_SPANNER_EMULATOR_HOST: '127.0.0.1:9010',
    CROSSGATE_SECRETS_TTL_SECONDS: '3',
    AWS_REGION: 'eu-west-1',
  },
  production: {
    ...exampleEnv,
    CROSSGATE_OIDC_AUDIENCE: 'api://crossgate',
    CROSSGATE_SPANNER_PROJECT: 'prod-project',
    CROSSGATE_RUN_GCP_SECRET_ID: 'crossgate/run-gcp',
  },
};

describe('the compiled config', () => {
  it('happy flow: the committed config/crossgate.compiled.json is config/crossgate.json compiled (`npm run config`)', () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../../../../config/crossgate.compiled.json', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(compiledConfigText(exampleEnv));
  });

  it('the compiled file does not depend on the environment it was checked against', () => {
    for (const env of Object.values(environments)) {
      expect(compiledConfigText(env)).toBe(compiledConfigText(exampleEnv));
    }
  });

  it('happy flow: resolved at start, it is what zod made of the file, for every function and environment', () => {
    for (const [name, env] of Object.entries(environments)) {
      expect(resolveConfig(compiled, env), `${name}, core`).toEqual(zodParsed(env));
      for (const section of Object.keys(schemas) as (keyof typeof schemas)[]) {
        expect(resolveConfig(compiled, env, [section]), `${name}, ${section}`).toEqual(
          zodParsed(env, section),
        );
      }
    }
  });

  it('happy flow: a function resolves only its own section and needs only its variables', () => {
    const { CROSSGATE_GERRIT_URL: _gerrit, CROSSGATE_ECHO_URL: _echo, ...coreEnv } = exampleEnv;
    const core = resolveConfig(compiled, coreEnv);
    expect(Object.keys(core)).not.toContain('gerrit');
    expect(Object.keys(core)).not.toContain('cloudRun');
    expect(problemOf(() => resolveConfig(compiled, coreEnv, ['gerrit']))).toContain(
      'gerrit.baseUrl',
    );
  });

  it('each placeholder carries the check its field needs, found in the schema', () => {
    const check = (path: string) => compiled.slots.find((slot) => slot.path.join('.') === path);
    expect(check('issuers.0.userPoolId')).toMatchObject({ check: 'pattern', required: true });
    expect(check('issuers.1.issuer')).toMatchObject({ check: 'url', required: true });
    expect(check('secrets.ttlSeconds')).toEqual({
      path: ['secrets', 'ttlSeconds'],
      check: 'number',
      fallback: 300,
    });
    expect(check('aws.endpoint')).toEqual({ path: ['aws', 'endpoint'], check: 'url' });
    expect(check('spanner.projectId')).toMatchObject({ check: 'string', required: true });
  });

  it('error flow: at start, a bad value names the key (URL, number, pattern, missing variable), never the value', () => {
    const badUrl = problemOf(() =>
      resolveConfig(compiled, { ...exampleEnv, CROSSGATE_OIDC_ISSUER: 'sk_live_misplaced' }),
    );
    expect(badUrl).toContain('issuers[1].issuer: the value (17 characters) is not a URL');
    expect(badUrl).not.toContain('sk_live_misplaced');
    expect(
      problemOf(() =>
        resolveConfig(compiled, { ...exampleEnv, CROSSGATE_SECRETS_TTL_SECONDS: 'five' }),
      ),
    ).toContain('secrets.ttlSeconds: the value (4 characters) is not a number');
    expect(
      problemOf(() =>
        resolveConfig(compiled, { ...exampleEnv, CROSSGATE_COGNITO_USER_POOL_ID: 'pool' }),
      ),
    ).toContain('issuers[0].userPoolId: the value (4 characters) does not match');
    const { CROSSGATE_ISSUER_URL: _omitted, ...missing } = exampleEnv;
    expect(problemOf(() => resolveConfig(compiled, missing))).toContain(
      'config key "assertion.issuerUrl" needs environment variable CROSSGATE_ISSUER_URL',
    );
  });

  it('error flow: compiling fails on a bad file, naming the key, as the start did before', () => {
    const document = configDocument();
    document.routes = { 'GET /me': { polcy: { authenticated: true } } };
    expect(problemOf(() => compileConfig(document, exampleEnv))).toContain('routes.GET /me');
  });

  it('error flow: a placeholder where no check at start could stand in for the schema is refused', () => {
    const document = configDocument();
    const spanner = document.spanner as { statements: Record<string, { mode: string }> };
    const [first] = Object.values(spanner.statements);
    if (!first) throw new Error('the config has no Spanner statement');
    first.mode = '${env:CROSSGATE_MODE:-read}';
    expect(problemOf(() => compileConfig(document, exampleEnv))).toMatch(
      /spanner\.statements\.\w+\.mode: a placeholder cannot stand here/,
    );
  });
});
