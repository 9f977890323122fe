import { createServer } from 'node:net';

/** Loopback only: nothing the offline stack starts is reachable from another host. */
export const LOCAL_HOST = '127.0.0.1';

export const defaultPorts = {
  gateway: 3000,
  lambda: 3002,
  moto: 4566,
  oidc: 4410,
  google: 4420,
  echo: 4430,
  ledger: 4431,
  gerrit: 4440,
  backstage: 4450,
  spanner: 9010,
} as const;

export type PortName = keyof typeof defaultPorts;
export type Ports = Record<PortName, number>;

/**
 * Ports of the stack: fixed defaults, each overridable with CROSSGATE_PORT_<NAME>, and all
 * shifted by CROSSGATE_PORT_OFFSET (the test stack uses one, so it never meets `npm start`).
 */
export function resolvePorts(env: NodeJS.ProcessEnv = process.env): Ports {
  const offset = Number(env.CROSSGATE_PORT_OFFSET ?? 0);
  const ports = {} as Ports;
  for (const [name, port] of Object.entries(defaultPorts) as [PortName, number][]) {
    const override = env[`CROSSGATE_PORT_${name.toUpperCase()}`];
    ports[name] = override ? Number(override) : port + offset;
  }
  return ports;
}

/** Resolves when the port is free on loopback; rejects naming the port otherwise. */
export function assertPortFree(name: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} (${name}) is already in use; stop what uses it or set CROSSGATE_PORT_${name.toUpperCase()}`
            : `cannot bind ${LOCAL_HOST}:${port} (${name}): ${error.message}`,
        ),
      );
    });
    probe.listen({ port, host: LOCAL_HOST, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export async function assertPortsFree(ports: Ports): Promise<void> {
  for (const [name, port] of Object.entries(ports)) await assertPortFree(name, port);
}
