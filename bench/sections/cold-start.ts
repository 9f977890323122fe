import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { StackState } from '../../local/services/types';
import { packageService } from '../../tests/helpers/package-service';
import { httpApiEvent, unpackArtifact } from '../../tests/helpers/artifact-runner';
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

/** Loads a handler in a fresh process and times the import and the first invocation. */
const bootstrap = `
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
const [handlerFile, exportName, functionName, eventJson, sdk] = process.argv.slice(2);
const started = performance.now();
if (sdk) {
  await import(sdk);
  process.stdout.write(JSON.stringify({ loadMs: performance.now() - started }));
  process.exit(0);
}
const module = await import(pathToFileURL(handlerFile).href);
const loaded = performance.now();
const context = {
  functionName, functionVersion: '$LATEST', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:' + functionName,
  awsRequestId: 'bench', logGroupName: '/aws/lambda/' + functionName, logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 10000,
};
const response = await module[exportName](JSON.parse(eventJson), context);
const invoked = performance.now();
process.stdout.write('\\n@@bench@@' + JSON.stringify({ loadMs: loaded - started, invokeMs: invoked - loaded, status: response.statusCode }));
process.exit(0);
`;

function run(dir: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(dir, 'bench-bootstrap.mjs'), ...args],
      { cwd: dir, env: { TZ: 'UTC', LAMBDA_TASK_ROOT: dir, ...env }, timeout: 30_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
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
        writeFileSync(join(unpacked.dir, 'bench-bootstrap.mjs'), bootstrap);
        const bundleFile = join(unpacked.dir, `${handler.slice(0, separator)}.mjs`);
        const bundle = readFileSync(bundleFile);
        const env = {
          ...state.lambdaEnv,
          ...((fn.Properties.Environment as { Variables?: Record<string, string> })?.Variables ??
            {}),
          AWS_LAMBDA_FUNCTION_NAME: String(fn.Properties.FunctionName),
        };
        const loads: number[] = [];
        const invokes: number[] = [];
        let status = 0;
        for (let i = 0; i < repeats; i += 1) {
          const request = await recipe();
          const event = {
            ...httpApiEvent(request.routeKey, request.path, request.headers),
            ...(request.body ? { body: request.body } : {}),
            ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
          };
          if (request.method) event.requestContext.http.method = request.method;
          const out = await run(
            unpacked.dir,
            [bundleFile, handler.slice(separator + 1), name, JSON.stringify(event)],
            env,
          );
          const measured = JSON.parse(out.slice(out.lastIndexOf('@@bench@@') + 9)) as {
            loadMs: number;
            invokeMs: number;
            status: number;
          };
          loads.push(measured.loadMs);
          invokes.push(measured.invokeMs);
          status = measured.status;
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
            const out = await run(unpacked.dir, ['', '', name, '{}', '@google-cloud/spanner'], env);
            sdkLoads.push((JSON.parse(out) as { loadMs: number }).loadMs);
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
