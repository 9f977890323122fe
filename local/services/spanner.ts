import { existsSync } from 'node:fs';
import { startProcess, waitForPort } from '../child-process';
import { assertPortFree, LOCAL_HOST } from '../ports';
import { LOCAL_SPANNER, provisionDatabase, readSqlFile } from '../spanner/provision';
import type { LocalService } from './types';

/** Where the Cloud SDK puts the emulator (`gcloud components install cloud-spanner-emulator`). */
const EMULATOR_DIR =
  process.env.CROSSGATE_SPANNER_EMULATOR_DIR ??
  '/usr/lib/google-cloud-sdk/bin/cloud_spanner_emulator';

export interface SpannerStackState {
  emulatorHost: string;
  projectId: string;
  instanceId: string;
  databaseId: string;
  pid: number;
}

/**
 * Google's Cloud Spanner emulator (gRPC only: `emulator_main`, not the slower REST gateway),
 * with the instance, the `music` database, its schema and seed from local/spanner/.
 *
 * A second emulator on a taken port binds without error and both answer, so the port is
 * checked first; and it runs in its own process group, stopped by PID, because stopping the
 * process that started it does not stop it.
 */
export const spannerService: LocalService = {
  name: 'spanner',
  async start({ ports, state, lambdaEnv, verbose }) {
    const binary = `${EMULATOR_DIR}/emulator_main`;
    if (!existsSync(binary)) {
      throw new Error(
        `the Spanner emulator is not installed at ${binary}; run \`gcloud components install cloud-spanner-emulator\` or set CROSSGATE_SPANNER_EMULATOR_DIR (see docs/spanner.md)`,
      );
    }
    await assertPortFree('spanner', ports.spanner);
    const emulatorHost = `${LOCAL_HOST}:${ports.spanner}`;
    const child = startProcess('spanner', binary, ['--host_port', emulatorHost], { echo: verbose });
    try {
      await waitForPort(ports.spanner, { timeoutMs: 20_000, process: child });
      await provisionDatabase({
        emulatorHost,
        ...LOCAL_SPANNER,
        schema: readSqlFile(new URL('../spanner/schema.sql', import.meta.url)),
        seed: readSqlFile(new URL('../spanner/seed.sql', import.meta.url)),
      });
    } catch (error) {
      await child.stop();
      throw error;
    }
    const published: SpannerStackState = { emulatorHost, ...LOCAL_SPANNER, pid: child.pid };
    state.spanner = published;
    Object.assign(lambdaEnv, {
      CROSSGATE_SPANNER_EMULATOR_HOST: emulatorHost,
      CROSSGATE_SPANNER_PROJECT: LOCAL_SPANNER.projectId,
      CROSSGATE_SPANNER_INSTANCE: LOCAL_SPANNER.instanceId,
      CROSSGATE_SPANNER_DATABASE: LOCAL_SPANNER.databaseId,
    });
    return {
      summary: [
        `Spanner emulator (gRPC)          ${emulatorHost}  ${LOCAL_SPANNER.projectId}/${LOCAL_SPANNER.instanceId}/${LOCAL_SPANNER.databaseId}  pid ${child.pid}`,
      ],
      stop: child.stop,
    };
  },
};
