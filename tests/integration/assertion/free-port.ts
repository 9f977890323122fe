import { createServer } from 'node:net';
import { assertPortFree, LOCAL_HOST } from '../../../local/ports';

/**
 * A loopback port nothing listens on now, checked free: for services that must know their URL
 * before they start (echo's audience is its own URL; moto's recorder file is named by port).
 */
export async function freeLoopbackPort(name: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen({ host: LOCAL_HOST, port: 0 }, resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('the probe got no TCP port');
  await assertPortFree(name, address.port);
  return address.port;
}
