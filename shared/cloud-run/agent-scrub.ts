import type { Principal } from '../auth/principal';
import type { ScrubOptions } from '../scrub/scrub-options';
import type { RedactionCounts } from '../scrub/secret-detector';
import type { CloudRunServiceConfig } from './config-schema';

/**
 * Response headers that describe the exact bytes of the upstream body: wrong once a redaction
 * changed them (a cache or client would check or reuse the scrubbed body under the original's
 * validator). content-length is never passed on anyway (config-schema.ts), but is listed so
 * that an allowlist mistake cannot bring it back.
 */
const BYTE_BOUND_HEADERS = ['content-length', 'etag', 'digest', 'content-digest', 'content-md5'];

/** Whether this caller's answers from this service are scrubbed (the service opted in). */
export function scrubsFor(principal: Principal, service: CloudRunServiceConfig): boolean {
  return service.scrubForAgents && principal.kind === 'agent';
}

/**
 * Headers added upstream for a scrubbed call: `accept-encoding: identity`, so that the service
 * sends text the scrubber can read as it is, rather than a compressed body it would have to
 * inflate first (fetch inflates gzip/br anyway; identity spares the work on both ends).
 */
export const SCRUBBED_REQUEST_HEADERS = { 'accept-encoding': 'identity' } as const;

export interface ScrubbedAnswer {
  body: Buffer;
  headers: Record<string, string>;
  redactions: RedactionCounts;
}

/**
 * Scrubs one answer for an agent: text and JSON bodies (shared/scrub/response-body-scrub.ts),
 * other types untouched. When anything was redacted the byte-bound headers are dropped.
 * The counts name rules only, never what was found.
 *
 * @example
 *   const { body, headers, redactions } = await scrubAnswer(buffer, headers, 'application/json')
 */
export async function scrubAnswer(
  body: Buffer,
  headers: Record<string, string>,
  contentType: string | undefined,
  options: ScrubOptions = {},
): Promise<ScrubbedAnswer> {
  // Loaded on the first scrubbed answer, not at cold start: secretlint's core and preset take
  // about 300 ms to load here (measured 2026-12-02, Node 22, 2 busy cores), which people and
  // machines, whose answers are never scrubbed, should not pay for. esbuild keeps a dynamic
  // import of a bundled module lazy (evaluated on first call).
  const { scrubResponseBody } = await import('../scrub/response-body-scrub');
  const scrubbed = await scrubResponseBody(body, contentType, options);
  if (Object.keys(scrubbed.redactions).length === 0) {
    return { body, headers, redactions: scrubbed.redactions };
  }
  const kept = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !BYTE_BOUND_HEADERS.includes(name.toLowerCase())),
  );
  return { body: scrubbed.body, headers: kept, redactions: scrubbed.redactions };
}
