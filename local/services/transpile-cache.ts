import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `handler: functions/me/handler.handler` in a serverless config: the module, then the export. */
const HANDLER_LINE = /^\s*handler:\s*(\S+)\.[A-Za-z_$][\w$]*\s*$/gm;

/** The TypeScript module of every function the serverless configs name, relative to `root`. */
export function handlerModules(root: string, configFiles: readonly string[]): string[] {
  const modules = new Set<string>();
  for (const file of configFiles) {
    for (const match of readFileSync(join(root, file), 'utf8').matchAll(HANDLER_LINE)) {
      const module = `${match[1]}.ts`;
      if (existsSync(join(root, module))) modules.add(module);
    }
  }
  return [...modules];
}

/**
 * Imports each module in a worker thread that registers tsx as serverless offline's workers
 * do (its UserFunction.js), whatever the module's init does, then exits.
 */
const IMPORT_ALL = `
const { Worker } = require('node:worker_threads');
const worker = new Worker(
  \`const { register } = require('tsx/esm/api');
  register();
  (async () => {
    for (const module of JSON.parse(process.env.CROSSGATE_WARM_MODULES)) {
      await import(require('node:url').pathToFileURL(module).href).catch(() => undefined);
    }
    // tsx writes each cache entry with an unawaited fs.promises.writeFile: give them time.
    setTimeout(() => process.exit(0), 500);
  })();\`,
  { eval: true },
);
worker.once('exit', (code) => process.exit(code));
`;

/**
 * Fills tsx's transpile cache (on disk, shared by every process and worker of this user) with
 * every module the functions import, before serverless offline starts any worker.
 *
 * Why: each serverless offline worker is a cold container that loads the TypeScript sources
 * through tsx, and a module missing from the cache is transpiled by the worker itself, with an
 * esbuild service of its own. Measured, 10 workers importing `me` at once on 2 cores: 10.0 s
 * of CPU with an empty cache (a fresh machine: CI), 4.8 s after this step (which took 3.2 s).
 * The cold-burst benchmark rewrites the embedded JWKS file just before its stack starts, so
 * every worker missed that module: its embedded line answered in 10 s where the other took 5.
 * Lambda loads a prebuilt bundle; this only brings the offline stack closer to it. Modules a
 * handler imports lazily are left to their first use.
 */
export function warmTranspileCache(options: {
  root: string;
  modules: readonly string[];
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--eval', IMPORT_ALL],
      {
        cwd: options.root,
        env: { ...options.env, CROSSGATE_WARM_MODULES: JSON.stringify(options.modules) },
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 4 * 1024 * 1024,
      },
      (error, _stdout, stderr) => {
        if (error) {
          reject(new Error(`warming tsx's cache failed: ${error.message}\n${stderr.slice(-2000)}`));
          return;
        }
        resolve();
      },
    );
  });
}
