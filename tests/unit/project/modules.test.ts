import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cloudRunSchema } from '../../../shared/cloud-run/config-schema';
import { coreFunctions } from '../../../shared/core/routes';
import { parseConfig } from '../../../shared/config/load-config';
import { gatewayModules } from '../../../shared/modules/registry';
import { policyCatalog } from '../../../shared/policy/catalog';
import { configDocument, unitTestEnv } from '../../helpers/config';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

/**
 * Route keys per function, as serverless.yml's `functions:` block declares them. Read by line:
 * the file carries CloudFormation tags (!Ref, !If) that a plain YAML loader refuses.
 */
function serverlessRoutes(): Map<string, string[]> {
  const lines = read('serverless.yml').split('\n');
  const routes = new Map<string, string[]>();
  let current: string[] | undefined;
  let method: string | undefined;
  let inFunctions = false;
  for (const line of lines) {
    if (/^\S/.test(line)) inFunctions = line.startsWith('functions:');
    if (!inFunctions) continue;
    const name = /^ {2}([a-zA-Z][\w-]*):\s*$/.exec(line)?.[1];
    if (name) routes.set(name, (current = []));
    const methodMatch = /^\s+method:\s*(\S+)/.exec(line);
    if (methodMatch) method = methodMatch[1];
    const pathMatch = /^\s+path:\s*(\S+)/.exec(line);
    if (pathMatch && method && current) current.push(`${method} ${pathMatch[1]}`);
  }
  return routes;
}

const backendEnvironment = /^CROSSGATE_(ECHO|LEDGER|GERRIT|SPANNER|RUN)_/;
const coreOnlyEnv = Object.fromEntries(
  Object.entries(unitTestEnv).filter(([name]) => !backendEnvironment.test(name)),
);

describe('one module per backend', () => {
  it('every shared/<folder>/module.ts is in the registry, and the registry has nothing else', async () => {
    const folders = readdirSync(`${root}shared`, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(`${root}shared/${entry.name}/module.ts`))
      .map((entry) => entry.name);
    const declared = await Promise.all(
      folders.map(async (folder) => {
        const exports = (await import(`../../../shared/${folder}/module.ts`)) as Record<
          string,
          unknown
        >;
        return Object.values(exports).filter(
          (value) => typeof value === 'object' && value !== null && 'configKey' in value,
        );
      }),
    );
    expect(declared.flat()).toHaveLength(gatewayModules.length);
    for (const module of declared.flat()) expect(gatewayModules).toContain(module);
  });

  it('each function file is one line naming its module, and serverless.yml serves exactly its routes', () => {
    const routes = serverlessRoutes();
    const expected = new Map<string, { routes: readonly string[]; folder: string }>([
      ...Object.entries(coreFunctions).map(
        ([name, keys]) => [name, { routes: keys, folder: 'core' }] as const,
      ),
      ...gatewayModules.map(
        (module) =>
          [
            module.functionName,
            { routes: module.routes, folder: moduleFolder(module.configKey) },
          ] as const,
      ),
    ]);
    for (const [name, { routes: moduleRoutes, folder }] of expected) {
      const lines = read(`functions/${name}/handler.ts`).trim().split('\n');
      expect(lines, name).toHaveLength(1);
      expect(lines[0], name).toMatch(
        new RegExp(`^export \\{ handler \\} from '\\.\\./\\.\\./shared/${folder}/[a-z-]+';$`),
      );
      expect([...(routes.get(name) ?? [])].sort(), name).toEqual([...moduleRoutes].sort());
    }
    expect([...routes.keys()].sort()).toEqual([...expected.keys()].sort());
  });

  it('no file in shared/config or shared/policy imports a backend module', () => {
    const backendFolders = gatewayModules.map((module) => moduleFolder(module.configKey));
    for (const folder of ['config', 'policy', 'middleware']) {
      for (const file of readdirSync(`${root}shared/${folder}`)) {
        const source = read(`shared/${folder}/${file}`);
        for (const backend of backendFolders) {
          expect(source, `shared/${folder}/${file}`).not.toContain(`'../${backend}/`);
        }
        expect(source, `shared/${folder}/${file}`).not.toContain(`'../modules/registry'`);
      }
    }
  });
});

describe('each function validates the core and its own section only', () => {
  it('happy flow: /health and /me start with no backend section and no backend environment variable', () => {
    const sectionKeys = new Set<string>(gatewayModules.map((module) => module.configKey));
    const document = Object.fromEntries(
      Object.entries(configDocument()).filter(([key]) => !sectionKeys.has(key)),
    );
    const config = parseConfig(document, coreOnlyEnv, { modules: gatewayModules });
    const catalog = policyCatalog(config, gatewayModules, document);
    expect(catalog.map((entry) => entry.route)).toEqual(['GET /me']);
  });

  it('happy flow: the whole file, without backend variables, still gives /me every target', () => {
    const document = configDocument();
    const config = parseConfig(document, coreOnlyEnv, { modules: gatewayModules });
    const targets = policyCatalog(config, gatewayModules, document).map(
      (entry) => entry.target ?? entry.route,
    );
    expect(targets).toEqual(
      expect.arrayContaining(['echo', 'listSingers', 'getSinger', 'addSinger', 'GET /a/changes/']),
    );
  });

  it('happy flow: the run function does not lex Spanner SQL: a broken statement does not stop it', () => {
    const document = configDocument();
    const spanner = document.spanner as { statements: Record<string, { sql: string }> };
    spanner.statements.getSinger = { ...spanner.statements.getSinger, sql: "SELECT 'unterminated" };
    const cloudRun = { configKey: 'cloudRun', schema: cloudRunSchema };
    const env = {
      ...coreOnlyEnv,
      CROSSGATE_ECHO_URL: 'https://echo.example.test',
      CROSSGATE_LEDGER_URL: 'https://ledger.example.test',
    };
    const config = parseConfig(document, env, { modules: gatewayModules, validate: [cloudRun] });
    expect(Object.keys(config)).toContain('cloudRun');
    expect(Object.keys(config)).not.toContain('spanner');
  });

  it('happy flow: a deployment that configures only Cloud Run works, and /me lists only its targets', () => {
    const document = configDocument();
    delete document.spanner;
    delete document.gerrit;
    const env = {
      ...coreOnlyEnv,
      CROSSGATE_ECHO_URL: 'https://echo.example.test',
      CROSSGATE_LEDGER_URL: 'https://ledger.example.test',
    };
    const cloudRun = { configKey: 'cloudRun', schema: cloudRunSchema };
    const config = parseConfig(document, env, { modules: gatewayModules, validate: [cloudRun] });
    expect(Object.keys((config.cloudRun as { services: object }).services)).toEqual([
      'echo',
      'echo-agents',
      'ledger',
    ]);
    const catalog = policyCatalog(config, gatewayModules, document);
    expect(catalog.map((entry) => entry.target ?? entry.route)).toEqual([
      'GET /me',
      'echo',
      'echo-agents',
      'ledger',
    ]);
  });

  it('error flow: a function whose section needs a variable that is unset fails naming the key', () => {
    const cloudRun = { configKey: 'cloudRun', schema: cloudRunSchema };
    expect(() =>
      parseConfig(configDocument(), coreOnlyEnv, { modules: gatewayModules, validate: [cloudRun] }),
    ).toThrow(/cloudRun\.services\.echo\.url.*CROSSGATE_ECHO_URL/);
  });
});

function moduleFolder(configKey: string): string {
  return configKey.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
