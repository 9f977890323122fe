import type { Principal } from '../auth/principal';
import { NEVER_FORWARDED_HEADERS } from './never-forwarded-headers';

const NEVER = new Set<string>(NEVER_FORWARDED_HEADERS);

function forwardable(name: string): boolean {
  return !NEVER.has(name) && !name.startsWith('x-crossgate-');
}

/**
 * The caller's headers that go upstream: only allowlisted names, and never hop-by-hop
 * headers, cookies, credentials or x-crossgate-* (checked again here, whatever config says).
 *
 * @param headers lower-cased request headers, as API Gateway's HTTP API delivers them
 */
export function allowedRequestHeaders(
  headers: Readonly<Record<string, string | undefined>>,
  allowlist: readonly string[],
): Record<string, string> {
  const allowed = new Set(allowlist);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value !== undefined && allowed.has(lower) && forwardable(lower)) out[lower] = value;
  }
  return out;
}

/**
 * The verified caller, for the backend (a FastAPI service reads these to know who calls).
 * Only issuer + subject together are unique: two issuers can hand out the same `sub`. The
 * table of headers, sources and encodings is in docs/cloud-run.md; a backend that must not
 * trust its network verifies `x-crossgate-assertion` instead (added by the forwarder).
 */
export function identityHeaders(principal: Principal): Record<string, string> {
  return {
    ...(principal.username ? { 'x-crossgate-user': headerSafe(principal.username) } : {}),
    'x-crossgate-issuer': headerSafe(principal.issuerName),
    'x-crossgate-subject': headerSafe(principal.subject),
    ...(principal.email ? { 'x-crossgate-email': headerSafe(principal.email) } : {}),
    'x-crossgate-groups': principal.groups.map(listItem).join(','),
    'x-crossgate-scopes': principal.scopes.map(listItem).join(' '),
    'x-crossgate-principal-kind': principal.kind,
  };
}

/**
 * The upstream response headers the caller gets back: allowlisted names only. Takes a WHATWG
 * `Headers` or node:http's lower-cased record (repeated values joined with `, `, as
 * `Headers` joins them).
 */
export function allowedResponseHeaders(
  headers: Headers | Readonly<Record<string, string | string[] | undefined>>,
  allowlist: readonly string[],
): Record<string, string> {
  const allowed = new Set(allowlist);
  const out: Record<string, string> = {};
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      if (allowed.has(name) && forwardable(name)) out[name] = value;
    });
    return out;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !allowed.has(name) || !forwardable(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Percent-encodes what cannot travel in a header value (non-visible ASCII, `%`). */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x24\x26-\x7e]/gu, (char) => encodeURIComponent(char));
}

/** As headerSafe, and also encodes the list separators `,` and space inside an item. */
function listItem(value: string): string {
  return headerSafe(value).replace(/[, ]/g, (char) => encodeURIComponent(char));
}
