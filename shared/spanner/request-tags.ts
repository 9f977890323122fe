import { createHash } from 'node:crypto';

/** Spanner truncates request and transaction tags beyond 50 printable ASCII characters. */
export const MAX_TAG_LENGTH = 50;
/** Room kept for the correlation id; the statement name gets what is left. */
const MAX_CORRELATION_PART = 32;

/**
 * The tag that joins Spanner's query and transaction statistics with crossgate's logs:
 * `<statement>/<correlationId>`, e.g. `getSinger/4bf92f3577b34da6a3ce929d0e0e4736`.
 *
 * Spanner keeps 50 printable ASCII characters and drops leading underscores, so we shorten
 * before it truncates: a correlation id longer than 32 characters keeps its first 23 and a
 * `~` with 8 hex of its SHA-256, then the statement name is cut to fit. The exact tag is also
 * in the audit event (`spanner.requestTag`), so the join never needs to recompute it.
 *
 * @example
 *   spannerTag('listSingers', 'req-42') // 'listSingers/req-42'
 */
export function spannerTag(statement: string, correlationId: string): string {
  const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').replace(/\//g, '-');
  let correlation = printable(correlationId);
  if (correlation.length > MAX_CORRELATION_PART) {
    const digest = createHash('sha256').update(correlationId).digest('hex').slice(0, 8);
    correlation = `${correlation.slice(0, MAX_CORRELATION_PART - 9)}~${digest}`;
  }
  const name = printable(statement)
    .replace(/^_+/, '')
    .slice(0, MAX_TAG_LENGTH - 1 - correlation.length);
  return `${name}/${correlation}`;
}
