import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import type { GatewayEvent } from '../middleware/request-state';

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * The request body as bytes: API Gateway sends binary bodies base64-encoded
 * (`isBase64Encoded`), text bodies as strings. Over `maxBytes` is 413.
 */
export function requestBody(event: GatewayEvent, maxBytes: number): Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  // API Gateway bounds the event (10 MB), so decoding before measuring is safe.
  const bytes = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(`the request body is larger than ${maxBytes} bytes`, {
      extensions: { maxBytes },
    });
  }
  return bytes;
}

/**
 * The body of a JSON API call as text, or undefined when there is none (blank counts as none).
 * A content type other than JSON is 415; no content type is taken as JSON.
 */
export function requestJsonText(event: GatewayEvent, maxBytes: number): string | undefined {
  const text = requestBody(event, maxBytes)?.toString('utf8');
  if (text === undefined || text.trim() === '') return undefined;
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
