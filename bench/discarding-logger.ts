import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { redactSensitive } from '../shared/logging/redact';

/**
 * The production logger configuration, writing to nowhere: the benchmark pays for building
 * and serialising every log line (as Lambda does) but not for a terminal.
 */
export function discardingLogger(): Logger {
  const logger = new Logger({ serviceName: 'crossgate', jsonReplacerFn: redactSensitive });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  (logger as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
  return logger;
}
