import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { GatewayLogger } from '../../shared/logging/gateway-logger';

/**
 * A logger configured like production whose JSON lines are kept for assertions. Powertools
 * writes through its own `console` property; it is pointed at an in-memory stream.
 */
export function capturedLogger(): {
  logger: GatewayLogger;
  lines: () => Record<string, unknown>[];
  raw: () => string;
} {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = new GatewayLogger({ serviceName: 'crossgate', logLevel: 'DEBUG' });
  (logger as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
  return {
    logger,
    raw: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
