import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortFree, resolvePorts } from '../../../local/ports';
import { startStack } from '../../../local/stack';

describe('offline stack ports', () => {
  it('defaults are fixed and each can be overridden, or all shifted', () => {
    expect(resolvePorts({}).gateway).toBe(3000);
    expect(resolvePorts({ CROSSGATE_PORT_GATEWAY: '3999' }).gateway).toBe(3999);
    expect(resolvePorts({ CROSSGATE_PORT_OFFSET: '100' })).toMatchObject({
      gateway: 3100,
      moto: 4666,
    });
  });

  it('error flow: the stack refuses to start on a taken port, naming it, and starts nothing', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', () => resolve()));
    const port = (squatter.address() as { port: number }).port;
    let started = 0;
    try {
      await expect(assertPortFree('moto', port)).rejects.toThrow(
        `port ${port} (moto) is already in use`,
      );
      const ports = { ...resolvePorts({ CROSSGATE_PORT_OFFSET: '1' }), moto: port };
      await expect(
        startStack({
          ports,
          stateFile: '.local/never-written.json',
          services: [
            {
              name: 'counter',
              start: async () => ((started += 1), { summary: [], stop: async () => {} }),
            },
          ],
        }),
      ).rejects.toThrow('already in use');
      expect(started).toBe(0);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
