import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { StackState } from '../../local/services/types';
import { packageService } from '../../tests/helpers/package-service';
import { invokeArtifact, unpackArtifact } from '../../tests/helpers/artifact-runner';
import { httpApiEvent } from '../../tests/helpers/lambda-event';
import { median, round } from '../stats';

export interface ColdStartResult {
  function: string;
  bundleBytes: number;
  bundleGzipBytes: number;
  zipBytes: number;
  loadMedianMs: number;
  firstInvokeMedianMs: number;
  status: number;
  /** For spanner: the SDK's own load time from the same artifact, and the ratio. */
  sdkLoadMedianMs?: number;
  ratioToSdk?: number;
}

export interface ColdStartRequest {
  routeKey: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  pathParameters?: Record<string, string>;
  /** The real method where the route key says ANY. */
  method?: string;
}

/** Imports one package from the artifact in a fresh process: the floor of its load time. */
const timeImport = `
const started = performance.now();
await import(process.argv[1]);
process.stdout.write(String(performance.now() - started), () => process.exit(0));
`;

function importMs(dir: string, specifier: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', timeImport, specifier],
      { cwd: dir, env: { TZ: 'UTC' }, timeout: 30_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(Number(stdout)),
    );
  });
}

/**
 * Cold start of each packaged function (`osls package`, unzipped outside the repository):
 * module load, then the first request against the local backends, each in a fresh process.
 */
export async function coldStarts(
  state: StackState,
  requests: Record<string, () => Promise<ColdStartRequest>>,
  repeats = 5,
): Promise<ColdStartResult[]> {
  const packaged = await packageService({ stage: 'dev', env: state.lambdaEnv ?? {} });
  const results: ColdStartResult[] = [];
  try {
    for (const [name, zipFile] of Object.entries(packaged.artifacts)) {
      const fn = Object.values(packaged.template.Resources).find(
        (resource) =>
          resource.Type === 'AWS::Lambda::Function' &&
          String(resource.Properties.FunctionName).endsWith(`-${name}`),
      );
      const recipe = requests[name];
      if (!fn || !recipe) continue;
      const handler = String(fn.Properties.Handler);
      const separator = handler.lastIndexOf('.');
      const unpacked = await unpackArtifact(zipFile);
      try {
        const bundle = readFileSync(join(unpacked.dir, `${handler.slice(0, separator)}.mjs`));
        const env = {
          ...state.lambdaEnv,
          ...((fn.Properties.Environment as { Variables?: Record<string, string> })?.Variables ??
            {}),
        };
        const loads: number[] = [];
        const invokes: number[] = [];
        let status = 0;
        for (let i = 0; i < repeats; i += 1) {
          const { routeKey, ...options } = await recipe();
          const measured = await invokeArtifact({
            dir: unpacked.dir,
            handler,
            functionName: String(fn.Properties.FunctionName),
            env,
            event: httpApiEvent(routeKey, options),
            timeoutMs: 30_000,
          });
          loads.push(measured.loadMs);
          invokes.push(measured.invokeMs);
          status = measured.response?.statusCode ?? 0;
        }
        const result: ColdStartResult = {
          function: name,
          bundleBytes: bundle.length,
          bundleGzipBytes: gzipSync(bundle).length,
          zipBytes: statSync(zipFile).size,
          loadMedianMs: round(median(loads)),
          firstInvokeMedianMs: round(median(invokes)),
          status,
        };
        if (name === 'spanner') {
          const sdkLoads: number[] = [];
          for (let i = 0; i < repeats; i += 1) {
            sdkLoads.push(await importMs(unpacked.dir, '@google-cloud/spanner'));
          }
          result.sdkLoadMedianMs = round(median(sdkLoads));
          result.ratioToSdk = round(result.loadMedianMs / result.sdkLoadMedianMs, 2);
        }
        results.push(result);
      } finally {
        unpacked.remove();
      }
    }
  } finally {
    packaged.cleanup();
  }
  return results;
}

/**
 * Wall time of `node -e 0` in a fresh process, the yardstick of the cold import figures
 * (issue 16: a function's import against Node's own start, measured in the same run).
 */
export async function nodeStartMs(repeats = 5): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, ['-e', '0'], { env: { TZ: 'UTC' }, timeout: 30_000 }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    samples.push(performance.now() - started);
  }
  return round(median(samples));
}
