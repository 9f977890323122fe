import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { handlerModules } from '../../../local/services/transpile-cache';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('warming the transpile cache of the offline stack', () => {
  it('finds the module of every function serverless.yml names, and the benchmark adds its own', () => {
    const functions = readdirSync(`${root}functions`).map((name) => `functions/${name}/handler.ts`);
    expect(handlerModules(root, ['serverless.yml']).sort()).toEqual(functions.sort());
    expect(handlerModules(root, ['serverless.yml', 'serverless.bench.yml']).sort()).toEqual(
      [...functions, 'bench/bare/handler.ts', 'bench/bare/upstream-handler.ts'].sort(),
    );
  });
});
