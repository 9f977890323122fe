import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { GatewayLogger } from '../shared/logging/gateway-logger';
import { redactSensitive } from '../shared/logging/redact';

/**
 * The production logger configuration, writing to nowhere: the benchmark pays for building
 * and serialising every log line (as Lambda does) but not for a terminal.
 */
export function discardingLogger(): GatewayLogger {
  return discarding(new GatewayLogger({ serviceName: 'crossgate' }));
}

/** Powertools' stock Logger as a team configures it (the peer chain's), writing to nowhere. */
export function discardingStockLogger(): Logger {
  return discarding(new Logger({ serviceName: 'crossgate', jsonReplacerFn: redactSensitive }));
}

function discarding<L extends Logger>(logger: L): L {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  (logger as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
  return logger;
}
