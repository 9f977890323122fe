import type { IncomingMessage } from 'node:http';
import { StandInError } from './errors';

/** Default cap on a request body: the stand-ins take small JSON and forms, nothing more. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Reads a request body as UTF-8, refusing more than `limit` bytes with a 413 (the stand-in's
 * renderer shapes it). The socket is left open so that the 413 reaches the client.
 */
export async function readBody(
  req: IncomingMessage,
  limit: number = DEFAULT_BODY_LIMIT,
): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > limit) {
      req.resume();
      throw new StandInError(413, `request body larger than ${limit} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
