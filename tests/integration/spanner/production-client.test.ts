import { execFile } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_HOST } from '../../../local/ports';
import { closedPort } from '../../helpers/spanner-faults';

const script = fileURLToPath(
  new URL('../../helpers/spanner-production-client.ts', import.meta.url),
);
const node = process.execPath;

/**
 * A stand-in for the GCE metadata server on loopback: google-auth-library and gcp-metadata
 * take its address from GCE_METADATA_HOST, so every probe the client would send to
 * 169.254.169.254 or metadata.google.internal lands here and is counted. It answers 404 with
 * the header a real metadata server sets, as a machine outside Google Cloud effectively does.
 */
interface MetadataRecorder {
  host: string;
  connections: () => number;
  close: () => Promise<void>;
}

async function startMetadataRecorder(): Promise<MetadataRecorder> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.on('error', () => socket.destroy());
    socket.once('data', () =>
      socket.end('HTTP/1.1 404 Not Found\r\nMetadata-Flavor: Google\r\nContent-Length: 0\r\n\r\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: LOCAL_HOST, port: 0, exclusive: true }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: `${LOCAL_HOST}:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface ChildRun {
  result: { status: number; retryAfter?: string; ms: number };
  stderr: string;
}

/** Runs the client in a fresh process with a Lambda-like environment: no emulator, no ADC. */
function runProductionClient(
  metadataHost: string,
  args: { host: string; port: number; builtInMetrics?: boolean },
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    execFile(
      node,
      ['--import', 'tsx', script, JSON.stringify(args)],
      {
        // Only what a Lambda would have, plus where "the metadata server" is. Deliberately no
        // METADATA_SERVER_DETECTION, no SPANNER_EMULATOR_HOST, no GOOGLE_CLOUD_SPANNER_* flags.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          TZ: 'UTC',
          GCE_METADATA_HOST: metadataHost,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${error.message}\n${stderr}`));
          return;
        }
        resolve({ result: JSON.parse(stdout) as ChildRun['result'], stderr });
      },
    );
  });
}

describe('the Spanner client as configured for AWS', () => {
  let metadata: MetadataRecorder;

  beforeAll(async () => {
    metadata = await startMetadataRecorder();
  });
  afterAll(async () => {
    await metadata?.close();
  });

  it('happy flow: no metadata-server probe, no built-in metrics, nothing on stderr; a dead endpoint is 503 at once', async () => {
    const before = metadata.connections();
    const { result, stderr } = await runProductionClient(metadata.host, {
      host: LOCAL_HOST,
      port: await closedPort(),
    });
    expect(metadata.connections() - before).toBe(0);
    expect(stderr).toBe('');
    expect(result.status).toBe(503);
    expect(result.retryAfter).toBe('2');
    expect(result.ms).toBeLessThan(3_000);
  }, 90_000);

  it('error flow: with built-in metrics switched on, the same client does probe the metadata server', async () => {
    // The control: shows the recorder sees what the first test says does not happen.
    const before = metadata.connections();
    await runProductionClient(metadata.host, {
      host: LOCAL_HOST,
      port: await closedPort(),
      builtInMetrics: true,
    });
    expect(metadata.connections() - before).toBeGreaterThan(0);
  }, 90_000);
});
