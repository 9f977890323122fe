import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { LOCAL_HOST } from '../../local/ports';

/**
 * How a fault proxy treats connections:
 * - `pass`: forward bytes both ways to the target;
 * - `refuse`: nothing listens on the port, so a connect is refused (ECONNREFUSED), as with a
 *   dependency whose process is down;
 * - `hang`: accept connections and never answer a byte, as with a dependency stuck behind a
 *   load balancer.
 */
export type ProxyMode = 'pass' | 'refuse' | 'hang';

export interface FaultProxy {
  /** `127.0.0.1:port`: what the gateway is pointed at instead of the dependency. */
  host: string;
  url: string;
  mode: () => ProxyMode;
  /** Connections accepted since the proxy started (or since the last `resetCount`). */
  connections: () => number;
  resetCount: () => void;
  /** Switches mode; every open connection is cut, so no client keeps the old behaviour. */
  set: (mode: ProxyMode) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * A TCP proxy on a fixed loopback port in front of one dependency of a dedicated offline
 * stack. Written by hand (a few dozen lines of node:net) because the test needs a real
 * refused connect: `refuse` closes the listening socket, and `pass`/`hang` listen again on
 * the same port, which no proxy library offers as a switch.
 */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let mode: ProxyMode = 'pass';
  let accepted = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    accepted += 1;
    track(client);
    if (mode === 'hang') return; // Held until the mode changes or the proxy closes.
    const upstream = connect({ host: target.host, port: target.port });
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: LOCAL_HOST, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
  };

  await listen(0);
  const { port } = server.address() as AddressInfo;
  const host = `${LOCAL_HOST}:${port}`;
  return {
    host,
    url: `http://${host}`,
    mode: () => mode,
    connections: () => accepted,
    resetCount: () => {
      accepted = 0;
    },
    set: async (next) => {
      mode = next;
      cutAll();
      if (next === 'refuse') await stopListening();
      else if (!server.listening) await listen(port);
    },
    close: async () => {
      cutAll();
      await stopListening();
    },
  };
}
