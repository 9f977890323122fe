import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const read = (file: string) => readFileSync(`${root}${file}`, 'utf8');

describe('the test runtime is the Lambda runtime', () => {
  it('serverless.yml declares a supported Node runtime and the tests run on its major', () => {
    const runtime = /^\s+runtime:\s*nodejs(\d+)\.x\s*$/m.exec(read('serverless.yml'))?.[1];
    expect(Number(runtime)).toBeGreaterThanOrEqual(22);
    expect(process.versions.node.split('.')[0]).toBe(runtime);
  });

  it('installed dependencies are exactly the pinned ones, resolved for that Node major', () => {
    const manifest = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    for (const [name, pinned] of Object.entries(manifest.dependencies)) {
      const installed = JSON.parse(read(`node_modules/${name}/package.json`)) as {
        version: string;
        engines?: { node?: string };
      };
      expect(installed.version, name).toBe(pinned);
      // A package whose engines start above our Node major would be a silent fallback in reverse.
      const minimumMajor = Number(/(\d+)/.exec(installed.engines?.node ?? '0')?.[1] ?? 0);
      expect(minimumMajor, `${name} engines ${installed.engines?.node}`).toBeLessThanOrEqual(
        nodeMajor,
      );
    }
    expect(manifest.devDependencies.node?.split('.')[0]).toBe(String(nodeMajor));
  });
});
