// An esbuild plugin for packaging (serverless-esbuild, via esbuild-for-package.mjs): at bundle
// time, config/crossgate.compiled.json becomes config/crossgate.json compiled against the
// stage's environment (shared/modules/compile-config.ts): validated with zod here, so that the
// functions load neither zod nor a schema at start (issue 16). A bad config fails
// `npm run package`, naming the key. The whole file is validated, every section.
import { packageTimeJsonPlugin, runStageCli } from './package-time-file.mjs';

function compile(serverless) {
  const result = runStageCli(serverless, '../shared/modules/compile-config-cli.ts', ['--stdout']);
  if (result.status !== 0) {
    throw new Error(
      `config/crossgate.json does not compile for this stage: ${(result.stderr || result.error?.message || '').trim()}`,
    );
  }
  return result.stdout;
}

export const compiledConfigPlugin = packageTimeJsonPlugin({
  name: 'crossgate-compiled-config',
  filter: /[\\/]config[\\/]crossgate\.compiled\.json$/,
  produce: compile,
});
