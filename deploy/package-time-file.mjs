// What the package-time esbuild plugins share (compiled-config-plugin.mjs,
// embedded-jwks-plugin.mjs): the stage's environment as serverless resolved it, a TypeScript
// CLI of ours run in it, and a file whose contents are produced once per package run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url));

/**
 * What the functions' config will read: the stage's provider environment and every function's
 * own, as serverless resolved them.
 */
export function stageEnvironment(serverless) {
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

/** Runs one of the repository's TypeScript CLIs (a path relative to deploy/) in the stage's environment. */
export function runStageCli(serverless, cli, args = []) {
  return spawnSync(
    process.execPath,
    ['--import', tsx, fileURLToPath(new URL(cli, import.meta.url)), ...args],
    { env: stageEnvironment(serverless), encoding: 'utf8', timeout: 60_000 },
  );
}

/**
 * An esbuild plugin that gives the JSON file matching `filter` the contents `produce`
 * returns, produced once per package run: every function's bundle carries the same.
 */
export function packageTimeJsonPlugin({ name, filter, produce }) {
  const produced = new WeakMap();
  return (serverless) => ({
    name,
    setup(build) {
      build.onLoad({ filter }, () => {
        if (!produced.has(serverless)) produced.set(serverless, produce(serverless));
        return { contents: produced.get(serverless), loader: 'json' };
      });
    },
  });
}
