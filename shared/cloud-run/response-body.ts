import { UpstreamError } from '../errors';

/** Media types whose bodies go back to API Gateway as text; everything else as base64. */
const TEXTUAL =
  /^(text\/|application\/([\w.+-]+\+)?(json|xml)\b|application\/(javascript|x-www-form-urlencoded|graphql|yaml|x-ndjson)\b)/i;

export class ResponseTooLargeError extends UpstreamError {}

/**
 * Reads an upstream body up to `maxBytes`; more is a 502 (Lambda's response limit would turn
 * it into a crash otherwise). Stops reading as soon as the limit is passed.
 */
export async function readLimitedBody(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(response.status, maxBytes);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(response.status, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
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
