import type { IncomingHttpHeaders } from 'node:http';
import { UpstreamError } from '../errors';
import type { UpstreamAnswer } from './upstream-request';

/** Media types whose bodies go back to API Gateway as text; everything else as base64. */
const TEXTUAL =
  /^(text\/|application\/([\w.+-]+\+)?(json|xml)\b|application\/(javascript|x-www-form-urlencoded|graphql|yaml|x-ndjson)\b)/i;

export class ResponseTooLargeError extends UpstreamError {}

/**
 * An upstream answer: the forwarder's (node:http, upstream-request.ts) or a WHATWG `Response`
 * (what other callers and the tests have).
 */
export type UpstreamResponse = UpstreamAnswer | Response;

/** The one value of a Node header record (repeated headers joined as `Headers` joins them). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Reads an upstream body up to `maxBytes`; more is a 502 (Lambda's response limit would turn
 * it into a crash otherwise). Stops reading as soon as the limit is passed.
 */
export async function readLimitedBody(
  response: UpstreamResponse,
  maxBytes: number,
): Promise<Buffer> {
  const fromFetch = response instanceof Response;
  const status = fromFetch ? response.status : response.statusCode;
  const declared = Number(
    (fromFetch
      ? response.headers.get('content-length')
      : headerValue(response.headers, 'content-length')) ?? Number.NaN,
  );
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discardBody(response);
    throw tooLarge(status, maxBytes);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Both bodies are async iterables of bytes; leaving the loop early (the throw) cancels the
  // WHATWG stream and destroys the Node one (and its socket).
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      throw tooLarge(status, maxBytes);
    }
    chunks.push(chunk);
  }
  const only = chunks.length === 1 ? chunks[0] : undefined;
  // Node hands out Buffers: a body in one chunk needs no copy.
  return Buffer.isBuffer(only) ? only : Buffer.concat(chunks);
}

/** A body declared this small is drained rather than dropped, to keep its connection. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * Drops a body we will not pass on, so its connection is freed: a keep-alive socket stays
 * busy until its body is read or destroyed. A small declared body is drained (the connection
 * is reused); anything else is destroyed with its socket. Never throws.
 */
export async function discardBody(response: UpstreamResponse): Promise<void> {
  if (response instanceof Response) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  const declared = Number(headerValue(response.headers, 'content-length') ?? Number.NaN);
  if (declared <= DRAIN_LIMIT_BYTES) response.body.resume();
  else response.body.destroy();
}

function tooLarge(status: number, maxBytes: number): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `the service's response is larger than the gateway's limit of ${maxBytes} bytes`,
    status,
  );
}

/** The body as API Gateway wants it: text for textual types that are valid UTF-8, else base64. */
export function encodeBody(
  body: Buffer,
  contentType: string | undefined,
): { body: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: '', isBase64Encoded: false };
  if (contentType && TEXTUAL.test(contentType)) {
    const text = new TextDecoder('utf-8', { fatal: true });
    try {
      return { body: text.decode(body), isBase64Encoded: false };
    } catch {
      // Declared as text but not UTF-8: send the bytes untouched.
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}
