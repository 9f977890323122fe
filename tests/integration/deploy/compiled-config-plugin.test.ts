import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs plugin of the packaging step, without type declarations
import { compiledConfigPlugin } from '../../../deploy/compiled-config-plugin.mjs';
import { exampleEnv } from '../../../shared/config/example-env';

type OnLoad = () => { contents: string; loader: string };

/** The plugin as serverless-esbuild runs it, for a stage whose environment is `environment`. */
function loadCompiled(
  provider: Record<string, string>,
  functions: Record<string, Record<string, string>> = {},
): { contents: string; loader: string } {
  const serverless = {
    service: {
      provider: { region: 'eu-west-1', environment: provider },
      functions: Object.fromEntries(
        Object.entries(functions).map(([name, environment]) => [name, { environment }]),
      ),
    },
  };
  let onLoad: OnLoad | undefined;
  const plugin = compiledConfigPlugin(serverless) as {
    setup: (build: { onLoad: (options: { filter: RegExp }, callback: OnLoad) => void }) => void;
  };
  plugin.setup({
    onLoad: (options, callback) => {
      expect(options.filter.test('/repo/config/crossgate.compiled.json')).toBe(true);
      onLoad = callback;
    },
  });
  if (!onLoad) throw new Error('the plugin registered no onLoad');
  return onLoad();
}

describe('packaging: the config compiled for the stage', () => {
  it("happy flow: the bundle gets config/crossgate.json compiled against the stage's environment", () => {
    const { CROSSGATE_GERRIT_URL, CROSSGATE_ECHO_URL, CROSSGATE_LEDGER_URL, ...provider } =
      exampleEnv;
    const loaded = loadCompiled(provider, {
      gerrit: { CROSSGATE_GERRIT_URL: CROSSGATE_GERRIT_URL ?? '' },
      run: {
        CROSSGATE_ECHO_URL: CROSSGATE_ECHO_URL ?? '',
        CROSSGATE_LEDGER_URL: CROSSGATE_LEDGER_URL ?? '',
      },
    });
    expect(loaded.loader).toBe('json');
    const compiled = JSON.parse(loaded.contents) as {
      document: { issuers: { userPoolId?: string }[] };
      slots: unknown[];
    };
    // Placeholders stay: the function resolves them from its own environment at start.
    expect(compiled.document.issuers[0]?.userPoolId).toBe('${env:CROSSGATE_COGNITO_USER_POOL_ID}');
    expect(compiled.slots.length).toBeGreaterThan(10);
  }, 60_000);

  it("error flow: a value the stage's config does not accept fails packaging, naming the key", () => {
    expect(() => loadCompiled({ ...exampleEnv, CROSSGATE_OIDC_ISSUER: 'not a url' })).toThrow(
      /does not compile for this stage: .*issuers\[1\]\.issuer/,
    );
  }, 60_000);
});
