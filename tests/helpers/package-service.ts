import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Left out of the copy: installed, generated or local-only. */
const notCopied = new Set(['node_modules', '.git', '.serverless', '.esbuild', '.local']);

/** A CloudFormation template, loosely typed: tests look into it. */
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown> & { [key: string]: unknown };
  DependsOn?: string | string[];
  Condition?: string;
}

export interface PackagedService {
  stage: string;
  /** The `--package` directory: templates and one zip per function. */
  outputDir: string;
  template: CfnTemplate;
  /** Function name (serverless.yml key) -> its zip. */
  artifacts: Record<string, string>;
  /** Seconds `osls package` took. */
  seconds: number;
  cleanup: () => void;
}

export interface PackageOptions {
  stage: string;
  /** Values for the stage's `${env:...}` parameters. */
  env: Record<string, string>;
  /** More osls arguments, e.g. `['--param', 'activeTracing=true']`. */
  args?: string[];
  timeoutMs?: number;
}

/** A copy of the project in a temp directory, with the project's node_modules linked in. */
function copyProject(prefix: string): { workDir: string; serviceDir: string } {
  const workDir = mkdtempSync(join(tmpdir(), `crossgate-${prefix}-`));
  const serviceDir = join(workDir, 'service');
  cpSync(projectRoot, serviceDir, {
    recursive: true,
    filter: (source) => !notCopied.has(basename(source)) || source === projectRoot,
  });
  symlinkSync(join(projectRoot, 'node_modules'), join(serviceDir, 'node_modules'), 'dir');
  return { workDir, serviceDir };
}

/** This process's environment without AWS or crossgate settings, and no way to credentials. */
function oslsEnv(workDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_') && !name.startsWith('CROSSGATE_')) env[name] = value;
  }
  return Object.assign(env, extra, {
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    // osls must not find credentials anywhere, not even in the user's files.
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
    AWS_CONFIG_FILE: join(workDir, 'no-config'),
  });
}

const osls = join(projectRoot, 'node_modules/osls/bin/serverless.js');

export interface OslsRun {
  exitCode: number;
  output: string;
  /** Whether osls left a `.serverless/` behind in its copy (it packaged something). */
  packaged: boolean;
}

/** Runs any osls command in a temp copy of the project, without AWS credentials. */
export async function runOsls(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<OslsRun> {
  const { workDir, serviceDir } = copyProject('osls');
  try {
    return await new Promise<OslsRun>((resolve) => {
      execFile(
        process.execPath,
        [osls, ...args],
        { cwd: serviceDir, env: oslsEnv(workDir, env), timeout: timeoutMs },
        (error, stdout, stderr) => {
          const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({
            exitCode,
            output: `${stdout}\n${stderr}`,
            packaged: existsSync(join(serviceDir, '.serverless')),
          });
        },
      );
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Runs `osls package --stage <stage>` on a copy of the project in a temp directory (with the
 * project's node_modules linked in), so a test run never touches the worktree's .serverless/
 * or .esbuild/. AWS credentials are removed from the environment: packaging must not need them.
 */
export async function packageService(options: PackageOptions): Promise<PackagedService> {
  const { workDir, serviceDir } = copyProject(`package-${options.stage}`);
  const outputDir = join(workDir, 'out');
  const env = oslsEnv(workDir, options.env);

  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [osls, 'package', '--stage', options.stage, '--package', outputDir, ...(options.args ?? [])],
      { cwd: serviceDir, env, timeout: options.timeoutMs ?? 180_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`osls package --stage ${options.stage} failed: ${stdout}\n${stderr}`));
        } else {
          resolve();
        }
      },
    );
  });
  const seconds = (Date.now() - started) / 1000;

  const template = JSON.parse(
    readFileSync(join(outputDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as CfnTemplate;
  const artifacts: Record<string, string> = {};
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = String(resource.Properties.FunctionName).replace(
      `crossgate-${options.stage}-`,
      '',
    );
    const key = String((resource.Properties.Code as { S3Key: string }).S3Key);
    artifacts[name] = join(outputDir, basename(key));
  }
  return {
    stage: options.stage,
    outputDir,
    template,
    artifacts,
    seconds,
    cleanup: () => rmSync(workDir, { recursive: true, force: true }),
  };
}

/** Resources of one CloudFormation type, by logical id. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
