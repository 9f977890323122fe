// An esbuild plugin for packaging (serverless-esbuild, via esbuild-for-package.mjs): at bundle
// time, config/crossgate.compiled.json becomes config/crossgate.json compiled against the
// stage's environment (shared/modules/compile-config.ts): validated with zod here, so that the
// functions load neither zod nor a schema at start (issue 16). A bad config fails
// `npm run package`, naming the key.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../shared/modules/compile-config-cli.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url));
const compiledFile = /[\\/]config[\\/]crossgate\.compiled\.json$/;

/**
 * What the functions' config will read: the stage's provider environment and every function's
 * own, as serverless resolved them (the whole file is validated, every section).
 */
function stageEnvironment(serverless) {
  const env = { ...process.env };
  const blocks = [
    serverless.service.provider.environment ?? {},
    ...Object.values(serverless.service.functions ?? {}).map((fn) => fn.environment ?? {}),
  ];
  for (const block of blocks) {
    for (const [name, value] of Object.entries(block)) {
      // CloudFormation references ({ Ref: ... }) have no value at package time.
      if (typeof value === 'string') env[name] = value;
    }
  }
  // Lambda sets AWS_REGION; at package time it is the stage's region.
  env.AWS_REGION ??= serverless.service.provider.region;
  return env;
}

function compile(serverless) {
  const result = spawnSync(process.execPath, ['--import', tsx, cli, '--stdout'], {
    env: stageEnvironment(serverless),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `config/crossgate.json does not compile for this stage: ${(result.stderr || result.error?.message || '').trim()}`,
    );
  }
  return result.stdout;
}

/** One compile per package run: every function's bundle carries the same compiled config. */
const compiled = new WeakMap();

export function compiledConfigPlugin(serverless) {
  return {
    name: 'crossgate-compiled-config',
    setup(build) {
      build.onLoad({ filter: compiledFile }, () => {
        if (!compiled.has(serverless)) compiled.set(serverless, compile(serverless));
        return { contents: compiled.get(serverless), loader: 'json' };
      });
    },
  };
}
