import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/deploy.md runs as written. Its command blocks are tagged `bash offline` (run here, in
 * document order, in one shell, in a temp copy of the project: package per stage, cfn-lint,
 * and whatever offline step is added later, such as key generation: tag its block `bash
 * offline` and it runs here with no change to this file) or `bash aws` / `bash gcloud`
 * (need an account; not run). An untagged shell block fails the test, so every new command
 * is either run or knowingly left out.
 */

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
const guide = readFileSync(join(projectRoot, 'docs/deploy.md'), 'utf8');

interface CommandBlock {
  tag: string;
  script: string;
  line: number;
}

/** Fenced ```bash / ```sh blocks with the word after the language as their tag. */
function shellBlocks(markdown: string): CommandBlock[] {
  const blocks: CommandBlock[] = [];
  const fence = /^([ \t]*)```(bash|sh|shell)(?:[ \t]+(\S+))?[ \t]*\n([\s\S]*?)^\1```/gm;
  for (const match of markdown.matchAll(fence)) {
    const indent = match[1] ?? '';
    blocks.push({
      tag: match[3] ?? '',
      // Blocks inside list items are indented; the shell gets them flush left.
      script: (match[4] ?? '')
        .split('\n')
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n'),
      line: markdown.slice(0, match.index).split('\n').length,
    });
  }
  return blocks;
}

const blocks = shellBlocks(guide);
const offline = blocks.filter((block) => block.tag === 'offline');

describe('docs/deploy.md', () => {
  it('tags every shell block: offline (run by this test), aws or gcloud (need an account)', () => {
    // Positive control: the parser finds the blocks the guide is known to have.
    expect(offline.length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((block) => block.tag === 'gcloud').length).toBeGreaterThanOrEqual(1);
    for (const block of blocks) {
      expect(['offline', 'aws', 'gcloud'], `docs/deploy.md:${block.line}`).toContain(block.tag);
    }
  });

  it('the shell block parser reads tags and strips list indentation', () => {
    const parsed = shellBlocks(
      '```bash offline\necho a\n```\n\n  ```bash aws\n  echo b\n  ```\n```sh\necho c\n```\n',
    );
    expect(parsed.map((block) => [block.tag, block.script.trim()])).toEqual([
      ['offline', 'echo a'],
      ['aws', 'echo b'],
      ['', 'echo c'],
    ]);
  });

  it('every offline block runs as written (package per stage, cfn-lint, ...)', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'crossgate-guide-'));
    const serviceDir = join(workDir, 'service');
    try {
      const notCopied = new Set(['node_modules', '.git', '.serverless', '.esbuild', '.local']);
      cpSync(projectRoot, serviceDir, {
        recursive: true,
        filter: (source) => !notCopied.has(basename(source)) || source === projectRoot,
      });
      symlinkSync(join(projectRoot, 'node_modules'), join(serviceDir, 'node_modules'), 'dir');

      // A reader's shell: no AWS credentials anywhere, no crossgate settings of this process.
      const env: NodeJS.ProcessEnv = {};
      for (const [name, value] of Object.entries(process.env)) {
        if (!name.startsWith('AWS_') && !name.startsWith('CROSSGATE_')) env[name] = value;
      }
      Object.assign(env, {
        // The project's Node 22 first, as `npm` scripts would find it.
        PATH: `${dirname(process.execPath)}:${join(serviceDir, 'node_modules/.bin')}:${env.PATH ?? ''}`,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        // The guide's issuers are examples: packaging must not try to fetch their keys.
        CROSSGATE_EMBED_JWKS: 'off',
        AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
        AWS_CONFIG_FILE: join(workDir, 'no-config'),
      });
      const script = [
        'set -euo pipefail',
        ...offline.map((block) => `# docs/deploy.md:${block.line}\n${block.script}`),
      ].join('\n');
      const result = await new Promise<{ code: number; output: string }>((resolve) => {
        execFile(
          'bash',
          ['-c', script],
          { cwd: serviceDir, env, timeout: 900_000, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
            resolve({ code, output: `${stdout}${stderr}` });
          },
        );
      });
      expect(result.output).toContain('Service packaged');
      expect(result.code, result.output).toBe(0);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }, 960_000);
});
