import type { GatewayEvent } from '../middleware/request-state';
import {
  BadRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors';
import { parseJsonLossless } from './lossless-json';

/** Statement parameters are small; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Reads `{"params": {...}}` from a `POST /spanner/{query}` request. An empty body means no
 * parameters. Numbers are kept exact (see lossless-json.ts).
 */
export function readStatementParams(event: GatewayEvent): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`the body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  if (text.trim() === '') return {};
  const contentType = event.headers?.['content-type'];
  if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('the body must be application/json');
  }
  let body: unknown;
  try {
    body = parseJsonLossless(text);
  } catch {
    throw new BadRequestError('the body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('the body must be a JSON object such as {"params": {}}', [
      { name: 'body', reason: 'must be a JSON object' },
    ]);
  }
  const unknown = Object.keys(body).filter((key) => key !== 'params');
  if (unknown.length > 0) {
    throw new ValidationError(`unknown body members: ${unknown.join(', ')}`, [
      ...unknown.map((key) => ({ name: key, reason: 'unknown member; only "params" is accepted' })),
    ]);
  }
  return (body as { params?: unknown }).params ?? {};
}
