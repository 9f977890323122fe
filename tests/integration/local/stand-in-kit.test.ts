import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FaultSwitch,
  listenOn,
  readBody,
  Router,
  sendText,
  StandInError,
  type ListeningServer,
} from '../../../local/stand-in';

const started: ListeningServer[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

/** A tiny stand-in on the kit: echoes the body, behind a fault switch. */
async function echoStandIn(faults: FaultSwitch, limit = 16): Promise<ListeningServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (await faults.apply(req, res, req.url ?? '/')) return;
      try {
        sendText(res, 200, await readBody(req, limit));
      } catch (error) {
        if (error instanceof StandInError) sendText(res, error.status, error.message);
        else throw error;
      }
    })();
  });
  const listening = await listenOn(server, '127.0.0.1');
  started.push(listening);
  return listening;
}

describe('stand-in kit', () => {
  it('happy flow: routes match on raw segments and decode each, so %2F stays in its segment', () => {
    const router = new Router([
      { method: 'GET', path: '/changes/:change', handler: 'get' },
      { method: 'POST', path: '/changes/:change/revisions/:revision/review', handler: 'review' },
    ]);
    expect(router.match('GET', '/changes/team%2Ftools~7/')).toEqual({
      handler: 'get',
      params: { change: 'team/tools~7' },
    });
    expect(router.match('POST', '/changes/1/revisions/current/review')).toMatchObject({
      handler: 'review',
      params: { change: '1', revision: 'current' },
    });
    expect(router.match('DELETE', '/changes/1')).toEqual({ methodMismatch: true });
    expect(router.match('GET', '/changes/1/nothing')).toEqual({ methodMismatch: false });
    expect(() => router.match('GET', '/changes/%E0%A4%A')).toThrow(StandInError);
  });

  it('error flow: a body over the cap is 413', async () => {
    const server = await echoStandIn(new FaultSwitch());
    const small = await fetch(server.url, { method: 'POST', body: 'hello' });
    expect(await small.text()).toBe('hello\n');
    const big = await fetch(server.url, { method: 'POST', body: 'x'.repeat(64) });
    expect(big.status).toBe(413);
  });

  it('happy flow: status and delay faults apply the given number of times, then the handler answers', async () => {
    const faults = new FaultSwitch();
    const server = await echoStandIn(faults);
    faults.add({ path: '^/flaky$', status: 503, body: 'down', times: 2 });
    faults.add({ mode: 'delay', path: '^/slow$', delayMs: 150 });
    const statuses = [];
    for (let index = 0; index < 3; index += 1) {
      statuses.push((await fetch(`${server.url}/flaky`, { method: 'POST', body: 'up' })).status);
    }
    expect(statuses).toEqual([503, 503, 200]);
    const start = performance.now();
    const slow = await fetch(`${server.url}/slow`, { method: 'POST', body: 'late' });
    expect(await slow.text()).toBe('late\n');
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('error flow: a close fault cuts the connection; a hang fault holds until cleared', async () => {
    const faults = new FaultSwitch();
    const server = await echoStandIn(faults);
    faults.add({ mode: 'close' });
    // POST: fetch may replay an idempotent GET on a fresh connection after a reset.
    await expect(fetch(server.url, { method: 'POST', body: 'x' })).rejects.toThrow();
    faults.add({ mode: 'hang' });
    const held = fetch(server.url, { signal: AbortSignal.timeout(5000) }).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    faults.clear();
    expect(await held).toBe('cut');
  });

  it('error flow: listening on a taken port names the port', async () => {
    const first = await listenOn(createServer(), '127.0.0.1');
    started.push(first);
    await expect(listenOn(createServer(), '127.0.0.1', first.port, 'gerrit')).rejects.toThrow(
      `port ${first.port} (gerrit) is already in use`,
    );
  });
});
