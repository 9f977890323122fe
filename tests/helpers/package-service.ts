import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
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
  timeoutMs?: number;
}

/**
 * Runs `osls package --stage <stage>` on a copy of the project in a temp directory (with the
 * project's node_modules linked in), so a test run never touches the worktree's .serverless/
 * or .esbuild/. AWS credentials are removed from the environment: packaging must not need them.
 */
export async function packageService(options: PackageOptions): Promise<PackagedService> {
  const workDir = mkdtempSync(join(tmpdir(), `crossgate-package-${options.stage}-`));
  const serviceDir = join(workDir, 'service');
  const outputDir = join(workDir, 'out');
  cpSync(projectRoot, serviceDir, {
    recursive: true,
    filter: (source) => !notCopied.has(basename(source)) || source === projectRoot,
  });
  symlinkSync(join(projectRoot, 'node_modules'), join(serviceDir, 'node_modules'), 'dir');

  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_') && !name.startsWith('CROSSGATE_')) env[name] = value;
  }
  Object.assign(env, options.env, {
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    // osls must not find credentials anywhere, not even in the user's files.
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
    AWS_CONFIG_FILE: join(workDir, 'no-config'),
  });

  const osls = join(projectRoot, 'node_modules/osls/bin/serverless.js');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [osls, 'package', '--stage', options.stage, '--package', outputDir],
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
