import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  /** Base URL of the proxy (http://127.0.0.1:PORT), standing in for the target's. */
  url: string;
  /** Requests that reached the target through the proxy so far. */
  count: () => number;
  /** The target's answers by status (a diagnosis when the gateway reports a refusal). */
  statuses: () => Record<string, number>;
  close: () => Promise<void>;
}

/**
 * A loopback HTTP proxy in front of one stand-in that counts the requests landing there: the
 * round trips per request are counted where they land, not where the gateway thinks it sent
 * them. Written by hand (30 lines of node:http): no proxy library is needed for a counter.
 */
export async function countingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  let requests = 0;
  const statuses: Record<string, number> = {};
  let firstRefusal: string | undefined;
  const server = http.createServer((incoming, outgoing) => {
    requests += 1;
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: upstream.host },
        agent,
      },
      (answer) => {
        const key = `${answer.statusCode} ${answer.headers['content-type'] ?? ''}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
        if ((answer.statusCode ?? 0) >= 400 && !firstRefusal) {
          firstRefusal = 'pending';
          answer.once('data', (chunk: Buffer) => {
            firstRefusal = chunk.toString('utf8', 0, 300);
          });
        }
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => requests,
    statuses: () => ({ ...statuses, ...(firstRefusal ? { [firstRefusal]: 0 } : {}) }),
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
