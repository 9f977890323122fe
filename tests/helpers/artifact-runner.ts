import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
// JSZip is already installed (serverless-offline depends on it); the zips are what osls wrote.
import JSZip from 'jszip';

/** The file names inside a function's zip. */
export async function artifactEntries(zipFile: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(zipFile));
  return Object.values(zip.files)
    .filter((entry) => !entry.dir)
    .map((entry) => entry.name);
}

/** One file of a function's zip, as text. */
export async function artifactText(zipFile: string, name: string): Promise<string> {
  const file = (await JSZip.loadAsync(readFileSync(zipFile))).file(name);
  if (!file) throw new Error(`${zipFile} has no ${name}`);
  return file.async('string');
}

/**
 * Unzips a function's artifact into a fresh temp directory, outside the repository, so the
 * handler can resolve nothing from the project's node_modules: what it needs must be inside.
 */
export async function unpackArtifact(
  zipFile: string,
): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'crossgate-artifact-'));
  const zip = await JSZip.loadAsync(readFileSync(zipFile));
  for (const entry of Object.values(zip.files)) {
    const target = resolve(dir, entry.name);
    if (!target.startsWith(dir + sep)) throw new Error(`zip entry escapes: ${entry.name}`);
    if (entry.dir) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await entry.async('nodebuffer'), {
      mode: (entry.unixPermissions as number | undefined) ?? 0o644,
    });
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * What the Lambda runtime does, reduced to one call: import the handler module by its
 * `file.export` name, call it with the event and a context, print the result as JSON.
 */
const bootstrap = `
import { pathToFileURL } from 'node:url';
const [handlerFile, exportName, functionName] = process.argv.slice(2);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const started = performance.now();
const module = await import(pathToFileURL(handlerFile).href);
const loadMs = performance.now() - started;
if (typeof module[exportName] !== 'function') throw new Error(exportName + ' is not a function');
const context = {
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:' + functionName,
  memoryLimitInMB: '256',
  awsRequestId: 'artifact-test-request',
  logGroupName: '/aws/lambda/' + functionName,
  logStreamName: 'artifact-test',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10000,
};
const invoked = performance.now();
const response = input ? await module[exportName](JSON.parse(input), context) : null;
const invokeMs = performance.now() - invoked;
// Exit once the result is out: a client's keep-alive timers must not hold the process.
process.stdout.write('\\n@@crossgate-result@@' + JSON.stringify({ loadMs, invokeMs, response }), () =>
  process.exit(0),
);
`;

/** The event type defaults to an HTTP API request; the authorizer takes its own. */
export interface InvokeOptions<E = APIGatewayProxyEventV2> {
  /** The unpacked artifact. */
  dir: string;
  /** The function's `Handler` from the template, e.g. `functions/me/handler.handler`. */
  handler: string;
  functionName: string;
  env: Record<string, string>;
  /** Without an event the module is only loaded and its export checked. */
  event?: E;
  timeoutMs?: number;
}

export interface InvokeResult<R = APIGatewayProxyStructuredResultV2> {
  /** Time to import the handler module. */
  loadMs: number;
  /** Time of the invocation (0 when there was no event). */
  invokeMs: number;
  response: R | null;
  /** What the function logged (stdout before the result, and stderr). */
  logs: string;
}

/** Runs the handler of an unpacked artifact in a fresh Node process (the project's Node 22). */
export async function invokeArtifact<
  R = APIGatewayProxyStructuredResultV2,
  E = APIGatewayProxyEventV2,
>(options: InvokeOptions<E>): Promise<InvokeResult<R>> {
  const separator = options.handler.lastIndexOf('.');
  const handlerFile = join(options.dir, `${options.handler.slice(0, separator)}.mjs`);
  const exportName = options.handler.slice(separator + 1);
  const bootstrapFile = join(options.dir, 'crossgate-bootstrap.mjs');
  writeFileSync(bootstrapFile, bootstrap);
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      process.execPath,
      [bootstrapFile, handlerFile, exportName, options.functionName],
      {
        cwd: options.dir,
        // Only what Lambda would set: nothing from this process (NODE_PATH, the repo's PATH...).
        env: {
          AWS_LAMBDA_FUNCTION_NAME: options.functionName,
          LAMBDA_TASK_ROOT: options.dir,
          TZ: 'UTC',
          ...options.env,
        },
        timeout: options.timeoutMs ?? 20_000,
      },
      (error, stdout, stderr) => {
        const marker = stdout.lastIndexOf('@@crossgate-result@@');
        if (error || marker < 0) {
          reject(new Error(`artifact ${options.handler} failed: ${error?.message}\n${stderr}`));
          return;
        }
        const parsed = JSON.parse(stdout.slice(marker + '@@crossgate-result@@'.length)) as {
          loadMs: number;
          invokeMs: number;
          response: R | null;
        };
        resolvePromise({ ...parsed, logs: `${stdout.slice(0, marker)}${stderr}` });
      },
    );
    child.stdin?.end(options.event ? JSON.stringify(options.event) : '');
  });
}
