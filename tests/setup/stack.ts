import type { TestProject } from 'vitest/node';
import { resolvePorts } from '../../local/ports';
import { startStack } from '../../local/stack';
import type { StackState } from '../../local/services/types';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackState | null;
  }
}

/** Test ports sit at an offset from `npm start`'s, so both can run on one machine. */
const DEFAULT_TEST_PORT_OFFSET = '20000';
const TEST_SECRETS_TTL_SECONDS = '3';

export default async function setup(project: TestProject) {
  if (process.env.CROSSGATE_SKIP_STACK === '1') {
    project.provide('stack', null);
    return;
  }
  const env = {
    ...process.env,
    CROSSGATE_PORT_OFFSET: process.env.CROSSGATE_PORT_OFFSET ?? DEFAULT_TEST_PORT_OFFSET,
  };
  // Rotations (assertion keys, Gerrit's password) take effect within the secret cache's TTL:
  // a short one lets the e2e tests watch a rotation happen instead of waiting five minutes.
  process.env.CROSSGATE_SECRETS_TTL_SECONDS ??= TEST_SECRETS_TTL_SECONDS;
  const ports = resolvePorts(env);
  const stack = await startStack({
    ports,
    stateFile: `.local/stack-test-${ports.gateway}.json`,
    verbose: process.env.CROSSGATE_VERBOSE === '1',
  });
  project.provide('stack', stack.state);
  return async () => {
    await stack.stop();
  };
}
