import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertPortsFree, resolvePorts, type Ports } from './ports';
import { localServices } from './services/index';
import type { LocalService, StackState, StartedService } from './services/types';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where the running stack writes its state; `npm run token` and the tests read it. */
export function stackStateFile(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(projectRoot, env.CROSSGATE_STACK_FILE ?? '.local/stack.json');
}

export function readStackState(env: NodeJS.ProcessEnv = process.env): StackState {
  const file = stackStateFile(env);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackState;
  } catch {
    throw new Error(`no running stack found (${file}); start it with \`npm start\``);
  }
}

export interface RunningStack {
  state: StackState;
  summary: string[];
  stop: () => Promise<void>;
}

export interface StartStackOptions {
  ports?: Ports;
  services?: LocalService[];
  verbose?: boolean;
  stateFile?: string;
}

/**
 * Starts the offline stack on loopback: refuses to start when any port is taken, starts each
 * service in order, and stops what it started (in reverse) when a later one fails.
 */
export async function startStack(options: StartStackOptions = {}): Promise<RunningStack> {
  const ports = options.ports ?? resolvePorts();
  const services = options.services ?? localServices;
  const stateFile = options.stateFile ?? stackStateFile();
  await assertPortsFree(ports);

  const state: StackState = { ports };
  const lambdaEnv: Record<string, string> = {};
  const started: StartedService[] = [];
  const stopAll = async () => {
    for (const service of started.reverse()) {
      await service
        .stop()
        .catch((error: unknown) => console.error(`stop failed: ${String(error)}`));
    }
    started.length = 0;
    rmSync(stateFile, { force: true });
  };

  try {
    for (const service of services) {
      started.push(
        await service.start({ ports, state, lambdaEnv, verbose: options.verbose ?? false }),
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  state.lambdaEnv = lambdaEnv;
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  return { state, summary: started.flatMap((service) => service.summary), stop: stopAll };
}
