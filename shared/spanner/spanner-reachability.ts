import { connect } from 'node:net';
import { ServiceUnavailableError } from '../errors';
import { SPANNER_RETRY_AFTER_SECONDS } from './spanner-errors';

/** Where the Spanner client connects: the emulator's host:port, or Google's endpoint. */
export interface SpannerEndpoint {
  host: string;
  port: number;
}

export interface UnreachableWatchOptions {
  endpoint: SpannerEndpoint;
  /**
   * How long a statement may wait before we look at the connection. A warm read answers in
   * a few ms, so the check never runs on the normal path; 250 ms is below anything a caller
   * would notice and well above a warm round trip from AWS to Google (about 15-70 ms).
   */
  checkAfterMs?: number;
  /** Bound on the TCP connect of the check itself. */
  connectTimeoutMs?: number;
  /** Stops the watch when the statement settles first. */
  signal: AbortSignal;
}

const defaults = { checkAfterMs: 250, connectTimeoutMs: 1000 };

/**
 * Connect errors that mean "nothing listens there" (or no route to it): no amount of waiting
 * inside one request fixes them, so the caller is told to come back (503 + Retry-After).
 */
const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Rejects with 503 (Retry-After) when the statement is still waiting after `checkAfterMs` and
 * a TCP connect to the Spanner endpoint is refused; otherwise never settles (the statement's
 * own deadline then answers 504).
 *
 * Written by hand, and why: the Spanner client hides a refused connection behind google-gax's
 * retries of session creation (UNAVAILABLE is retried for 30-60 s, measured: a read against a
 * closed port failed with DEADLINE_EXCEEDED after 30 s), and google-gax passes no gRPC
 * interceptor through to see the first failure. One TCP connect, only on a request that is
 * already slow, tells a dead endpoint (refused at once) from a slow one (accepts).
 *
 * @example
 *   await Promise.race([read, failWhenUnreachable({ endpoint, signal: done.signal })]);
 */
export function failWhenUnreachable(options: UnreachableWatchOptions): Promise<never> {
  const { endpoint, signal } = options;
  const { checkAfterMs, connectTimeoutMs } = { ...defaults, ...options };
  return new Promise<never>((_resolve, reject) => {
    if (signal.aborted) return;
    const timer = setTimeout(() => {
      void isRefused(endpoint, connectTimeoutMs).then((refused) => {
        if (refused && !signal.aborted) {
          reject(
            new ServiceUnavailableError(
              'Spanner is unreachable (connection refused); retry',
              SPANNER_RETRY_AFTER_SECONDS,
            ),
          );
        }
      });
    }, checkAfterMs);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}

/** True when a TCP connect to the endpoint fails in a way that waiting will not fix. */
export function isRefused(endpoint: SpannerEndpoint, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    const done = (refused: boolean) => {
      socket.destroy();
      resolve(refused);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) => done(REFUSED.has(error.code ?? '')));
  });
}
