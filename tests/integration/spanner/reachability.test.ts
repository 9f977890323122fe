import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../../shared/errors';
import { failWhenUnreachable, isRefused } from '../../../shared/spanner/spanner-reachability';
import { closedPort, startHangingServer, type HangingServer } from '../../helpers/spanner-faults';

describe('Spanner reachability check', () => {
  let hanging: HangingServer;

  beforeAll(async () => {
    hanging = await startHangingServer();
  });
  afterAll(async () => {
    await hanging?.close();
  });

  it('happy flow: a listening endpoint is not refused, a closed port is', async () => {
    expect(await isRefused({ host: hanging.host, port: hanging.port }, 1_000)).toBe(false);
    expect(await isRefused({ host: '127.0.0.1', port: await closedPort() }, 1_000)).toBe(true);
  });

  it('happy flow: a statement that settles before the check makes no connection at all', async () => {
    const before = hanging.connections();
    const settled = new AbortController();
    const watch = failWhenUnreachable({
      endpoint: { host: hanging.host, port: hanging.port },
      checkAfterMs: 100,
      signal: settled.signal,
    });
    settled.abort();
    const outcome = await Promise.race([
      watch.then(
        () => 'settled',
        () => 'rejected',
      ),
      new Promise((resolve) => setTimeout(() => resolve('quiet'), 300)),
    ]);
    expect(outcome).toBe('quiet');
    expect(hanging.connections()).toBe(before);
  });

  it('error flow: a refused endpoint rejects with 503 and Retry-After after the check delay', async () => {
    const settled = new AbortController();
    const started = performance.now();
    const failure = await failWhenUnreachable({
      endpoint: { host: '127.0.0.1', port: await closedPort() },
      checkAfterMs: 100,
      signal: settled.signal,
    }).catch((error: unknown) => error);
    settled.abort();
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect((failure as ServiceUnavailableError).headers['retry-after']).toBe('2');
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });
});
