import type { GatewayEvent } from '../middleware/request-state';
import { ValidationError } from '../errors';
import { readJsonBody } from '../http/request-body';
import { parseJsonLossless } from './lossless-json';

/** Statement parameters are small; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Reads `{"params": {...}}` from a `POST /spanner/{query}` request. An empty body means no
 * parameters. Numbers are kept exact (see lossless-json.ts).
 */
export function readStatementParams(event: GatewayEvent): unknown {
  const body = readJsonBody(event, MAX_BODY_BYTES, parseJsonLossless);
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
