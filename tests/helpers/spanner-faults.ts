import { createServer, type AddressInfo, type Socket } from 'node:net';
import { LOCAL_HOST } from '../../local/ports';

/**
 * A loopback port that nothing listens on: bound once by the OS (so it was free), then
 * closed, so a connect to it is refused. "Spanner is down", without stopping the shared one.
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: LOCAL_HOST, port: 0, exclusive: true }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface HangingServer {
  host: string;
  port: number;
  /** Connections accepted so far: a test can tell the client really reached it. */
  connections: () => number;
  close: () => Promise<void>;
}

/**
 * A loopback server that accepts TCP connections and never answers a byte: the gRPC
 * handshake never completes, as with a Spanner endpoint that hangs behind a load balancer.
 * Closing it destroys every connection it holds.
 */
export async function startHangingServer(): Promise<HangingServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: LOCAL_HOST, port: 0, exclusive: true }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: LOCAL_HOST,
    port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
