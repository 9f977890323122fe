import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { useEmulatorClientSettings } from '../../../local/spanner/provision';
import { spannerSchema, type SpannerConfig } from '../../../shared/spanner/config-schema';
import { GatewayTimeoutError, ServiceUnavailableError } from '../../../shared/errors';
import { createSpanner, type SpannerHandle } from '../../../shared/spanner/spanner-client';
import { execute } from '../../helpers/spanner';
import { closedPort, startHangingServer, type HangingServer } from '../../helpers/spanner-faults';

/**
 * Spanner that cannot be reached, without touching the shared emulator: a closed loopback
 * port (connection refused) and a server that accepts and never answers (hangs).
 */
const statements = {
  countSingers: {
    sql: 'SELECT COUNT(*) AS n FROM Singers',
    mode: 'read',
    policy: { authenticated: true },
  },
  addSinger: {
    sql: 'INSERT INTO Singers (SingerId) VALUES (@id)',
    params: { id: 'INT64' },
    mode: 'write',
    policy: { authenticated: true },
  },
};

function configAt(emulatorHost: string): SpannerConfig {
  return spannerSchema.parse({
    projectId: 'crossgate-test',
    instanceId: 'crossgate',
    databaseId: 'unreachable',
    emulatorHost,
    statements,
  });
}

async function timed<T>(run: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await run().then(
    () => undefined,
    (failure: unknown) => failure,
  );
  return { error, ms: performance.now() - started };
}

describe('Spanner unreachable', () => {
  useEmulatorClientSettings();
  const handles: SpannerHandle[] = [];
  let hanging: HangingServer | undefined;

  afterEach(async () => {
    for (const handle of handles.splice(0)) await handle.database.close().catch(() => undefined);
  });
  afterAll(async () => {
    await hanging?.close();
  });

  it.each(['countSingers', 'addSinger'])(
    'error flow: %s against a refused connection answers 503 with Retry-After at once, not 504 at the deadline',
    async (name) => {
      const config = configAt(`127.0.0.1:${await closedPort()}`);
      const handle = createSpanner({ config });
      handles.push(handle);

      const { error, ms } = await timed(() =>
        execute(handle, config, name, name === 'addSinger' ? '{"id": 1}' : '{}', {
          deadlineMs: 10_000,
        }),
      );

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      const unavailable = error as ServiceUnavailableError;
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers['retry-after']).toBe('2');
      expect(unavailable.detail).toMatch(/unreachable/);
      // At once: the check runs after 250 ms; far below the 10 s deadline.
      expect(ms).toBeLessThan(3_000);
    },
  );

  it('error flow: a Spanner that accepts and never answers is 504 at the deadline, not 503', async () => {
    hanging = await startHangingServer();
    const config = configAt(`${hanging.host}:${hanging.port}`);
    const handle = createSpanner({ config });
    handles.push(handle);

    const { error, ms } = await timed(() =>
      execute(handle, config, 'countSingers', '{}', { deadlineMs: 1_500 }),
    );

    expect(error).toBeInstanceOf(GatewayTimeoutError);
    expect((error as GatewayTimeoutError).status).toBe(504);
    expect(ms).toBeGreaterThanOrEqual(1_400);
    expect(ms).toBeLessThan(5_000);
    // The client really connected: the 504 is the hang, not a refusal seen some other way.
    expect(hanging.connections()).toBeGreaterThan(0);
  });
});
