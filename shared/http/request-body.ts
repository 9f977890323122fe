import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import type { GatewayEvent } from '../middleware/request-state';

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/** Refuses bytes that are not UTF-8 instead of replacing them with U+FFFD. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A UTF-16 surrogate without its pair (String#isWellFormed, which the ES2022 lib lacks). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The request body as bytes, exactly as the caller sent them, or a 4xx: never altered.
 *
 * - API Gateway sends binary bodies base64-encoded (`isBase64Encoded`): the text must be
 *   canonical base64 (what API Gateway writes). Node's decoder skips characters it does not
 *   know, so a lenient decode would pass on other bytes than were sent: 400 instead.
 * - Text bodies arrive as a string: one that holds a lone surrogate has no UTF-8 form (Node
 *   would write U+FFFD for it): 400. Bytes that were not UTF-8 on the wire reach the Lambda
 *   only when API Gateway base64-encodes the body; a text body that shows U+FFFD was already
 *   changed before the Lambda (serverless offline does this; see SECURITY.md).
 * - Over `maxBytes` is 413.
 */
export function requestBody(event: GatewayEvent, maxBytes: number): Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  const body = event.body;
  // API Gateway bounds the event (10 MB), so decoding before measuring is safe.
  let bytes: Buffer;
  if (event.isBase64Encoded) {
    bytes = Buffer.from(body, 'base64');
    if (bytes.toString('base64') !== body) {
      throw new BadRequestError('the base64-encoded request body is not canonical base64');
    }
  } else {
    if (LONE_SURROGATE.test(body)) {
      throw new BadRequestError('the request body is not valid Unicode text');
    }
    bytes = Buffer.from(body, 'utf8');
  }
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(`the request body is larger than ${maxBytes} bytes`, {
      extensions: { maxBytes },
    });
  }
  return bytes;
}

/**
 * The body of a JSON API call as text, or undefined when there is none (blank counts as none).
 * A content type other than JSON is 415; no content type is taken as JSON; bytes that are not
 * UTF-8 are 400 (RFC 8259 §8.1), never replaced.
 */
export function requestJsonText(event: GatewayEvent, maxBytes: number): string | undefined {
  const bytes = requestBody(event, maxBytes);
  if (bytes === undefined) return undefined;
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    throw new BadRequestError('the JSON body is not valid UTF-8');
  }
  if (text.trim() === '') return undefined;
  const contentType = event.headers?.['content-type'];
  if (contentType !== undefined && !JSON_CONTENT_TYPE.test(contentType.trim())) {
    throw new UnsupportedMediaTypeError(`the body must be application/json, not ${contentType}`);
  }
  return text;
}

/** The body parsed as JSON, `{}` when there is none; malformed JSON is 400. */
export function readJsonBody(
  event: GatewayEvent,
  maxBytes: number,
  parse: (text: string) => unknown = JSON.parse,
): unknown {
  const text = requestJsonText(event, maxBytes);
  if (text === undefined) return {};
  try {
    return parse(text);
  } catch {
    throw new BadRequestError('the body is not valid JSON');
  }
}
