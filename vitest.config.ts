import { defineConfig } from 'vitest/config';

/**
 * unit: pure code, no network. fuzz: property tests of every parser of caller input. integration: real servers over loopback (moto, the OIDC
 * provider, stand-ins, emulators). e2e: HTTP through serverless offline.
 * The offline stack is started once for the run by tests/setup/stack.ts on offset ports.
 */
export default defineConfig({
  test: {
    globalSetup: ['tests/setup/stack.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'] } },
      // Property tests (fast-check): FUZZ_RUNS per property, 200 by default; `npm run fuzz`.
      { extends: true, test: { name: 'fuzz', include: ['tests/fuzz/**/*.fuzz.test.ts'] } },
    ],
  },
});
