import { compiledConfigText, writeCompiledConfig } from './compiled-config-file';
import { InvalidConfigError } from '../config/config-error';
import { exampleEnv } from '../config/example-env';

/**
 * `npm run config`, and packaging (deploy/compiled-config-plugin.mjs runs it with tsx).
 *
 *   --stdout   print the config compiled against this environment (packaging: the stage's, as
 *              serverless resolved it)
 *   (default)  write config/crossgate.compiled.json, validated against this environment with
 *              made-up values for the variables it lacks (shared/config/example-env.ts)
 *
 * A bad config exits 1 with every bad key named on stderr. Never part of a Lambda bundle.
 */
try {
  if (process.argv.includes('--stdout')) {
    process.stdout.write(compiledConfigText(process.env));
  } else if (writeCompiledConfig({ ...exampleEnv, ...process.env })) {
    process.stderr.write('config: wrote config/crossgate.compiled.json\n');
  }
} catch (error) {
  if (!(error instanceof InvalidConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
