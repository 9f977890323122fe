import type { GatewayEvent } from '../middleware/request-state';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';

/**
 * The request body as JSON, or `{}` when there is none. Refuses bodies larger than maxBytes,
 * bodies that are not JSON, and content types other than JSON.
 */
export function readJsonBody(event: GatewayEvent, maxBytes: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return {};
  const contentType = event.headers?.['content-type'] ?? 'application/json';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw new UnsupportedMediaTypeError(`the body must be application/json, not ${contentType}`);
  }
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body);
  if (raw.byteLength > maxBytes) {
    throw new PayloadTooLargeError(`the body is larger than ${maxBytes} bytes`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadRequestError('the body is not valid JSON');
  }
}
