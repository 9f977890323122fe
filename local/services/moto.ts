import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, waitForHttp } from '../child-process';
import { LOCAL_HOST } from '../ports';
import type { LocalService } from './types';

/** Credentials moto accepts; nothing real. The Lambda signs with them like with role credentials. */
export const MOTO_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
} as const;
export const MOTO_REGION = 'us-east-1';

/** moto_server: Secrets Manager and Cognito, as AWS speaks them. */
export const motoService: LocalService = {
  name: 'moto',
  async start({ ports, state, lambdaEnv, verbose }) {
    const endpoint = `http://${LOCAL_HOST}:${ports.moto}`;
    const recording = join(tmpdir(), `crossgate-moto-recording-${ports.moto}.jsonl`);
    const child = startProcess(
      'moto',
      'moto_server',
      ['-H', LOCAL_HOST, '-p', String(ports.moto)],
      {
        echo: verbose,
        // Tests count Secrets Manager calls at moto with its recorder (off until started).
        env: { ...process.env, MOTO_RECORDER_FILEPATH: recording },
      },
    );
    // Imported here, not at the top: the seed's moto clients import MOTO_CREDENTIALS from this
    // module, and a static import would read it before this module has defined it.
    const { ASSERTION_KEYS_SECRET_ID, seedAssertionKeys } = await import('../seed/assertion-keys');
    try {
      await waitForHttp(`${endpoint}/moto-api/`, 30_000, child);
      // The caller-assertion signing keys: a new set per stack (docs/cloud-run.md).
      await seedAssertionKeys(endpoint, MOTO_REGION);
    } catch (error) {
      // Not started, so the stack will not stop it: stop moto here rather than orphan it.
      await child.stop();
      throw error;
    }
    state.moto = { endpoint, region: MOTO_REGION };
    state.assertion = { keysSecretId: ASSERTION_KEYS_SECRET_ID };
    Object.assign(lambdaEnv, MOTO_CREDENTIALS, {
      AWS_REGION: MOTO_REGION,
      CROSSGATE_AWS_ENDPOINT: endpoint,
      CROSSGATE_ASSERTION_KEYS_SECRET_ID: ASSERTION_KEYS_SECRET_ID,
    });
    return {
      summary: [`moto (Secrets Manager, Cognito)   ${endpoint}  pid ${child.pid}`],
      stop: async () => {
        await child.stop();
        // The recording holds request bodies (seeded secrets): gone with moto.
        rmSync(recording, { force: true });
      },
    };
  },
};
