import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertPortFree } from '../ports';

export interface ListeningServer {
  url: string;
  port: number;
  /** Closes the server and every connection on it, idle or not, so that stop never waits. */
  close: () => Promise<void>;
}

/**
 * Starts an HTTP server of the offline stack on one loopback address (port 0: any free one).
 * A fixed port is probed first, so a clash names the port instead of failing as EADDRINUSE
 * somewhere inside node:http.
 *
 * @example const { url, close } = await listenOn(createServer(handler), '127.0.0.1', 4440);
 */
export async function listenOn(
  server: Server,
  host: string,
  port = 0,
  name = 'stand-in',
): Promise<ListeningServer> {
  if (port !== 0 && host === '127.0.0.1') await assertPortFree(name, port);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
