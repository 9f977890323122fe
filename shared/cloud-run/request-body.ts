import type { GatewayEvent } from '../middleware/request-state';
import { PayloadTooLargeError } from '../errors';

/**
 * The request body as bytes: API Gateway sends binary bodies base64-encoded
 * (`isBase64Encoded`), text bodies as strings. Over `maxBytes` is 413.
 */
export function requestBody(event: GatewayEvent, maxBytes: number): Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  // API Gateway bounds the event (10 MB), so decoding before measuring is safe.
  const bytes = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes.length > maxBytes) throw tooLarge(maxBytes);
  return bytes;
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`the request body is larger than ${maxBytes} bytes`, {
    extensions: { maxBytes },
  });
}
