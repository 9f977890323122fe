import { BadRequestError } from '../errors';

/** Control characters (C0, DEL, C1) and the backslash, which some servers read as a slash. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CHARACTER = /[\u0000-\u001f\u007f-\u009f\\]/;
/** A percent-encoded slash, backslash or dot left after one decoding: double encoding. */
const ENCODED_SEPARATOR = /%(2f|5c|2e)/i;

/**
 * The path to call on the service, from the part of the request path after
 * `/run/{service}/`: percent-decoded once, checked, normalized, and encoded again.
 *
 * Rejected with 400: `.` and `..` segments (plain or encoded, and also with `;`-parameters
 * such as `..;x`, which Tomcat and Jetty resolve as `..`), encoded slashes and
 * backslashes (they would add segments the caller did not send), anything still
 * percent-encoded after one decoding that decodes to a separator or a dot (double encoding),
 * control characters, and malformed escapes. Empty segments (`a//b`) collapse; a trailing
 * slash is kept because services tell `/x` from `/x/`.
 *
 * @param rawProxyPath the path after the service prefix, exactly as the caller sent it
 * @returns the upstream path, starting with `/`
 * @example upstreamPath('reports/2024%20Q1/') === '/reports/2024%20Q1/'
 */
export function upstreamPath(rawProxyPath: string): string {
  if (/%(2f|5c)/i.test(rawProxyPath)) {
    throw new BadRequestError('encoded slashes are not allowed in the path');
  }
  const segments = rawProxyPath.split('/');
  const trailingSlash = segments.length > 1 && segments.at(-1) === '';
  const out: string[] = [];
  for (const raw of segments) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new BadRequestError('the path has a malformed percent-encoding');
    }
    if (isDotSegment(segment)) {
      throw new BadRequestError('dot segments are not allowed in the path');
    }
    if (FORBIDDEN_CHARACTER.test(segment)) {
      throw new BadRequestError('control characters and backslashes are not allowed in the path');
    }
    if (ENCODED_SEPARATOR.test(segment)) {
      throw new BadRequestError('double-encoded separators or dots are not allowed in the path');
    }
    out.push(encodeSegment(segment));
  }
  return `/${out.join('/')}${trailingSlash && out.length > 0 ? '/' : ''}`;
}

/**
 * Whether a decoded segment is `.` or `..` for some server behind the gateway: after
 * stripping `;`-parameters (Tomcat, Jetty: `..;jsessionid=x` is `..`) and after Unicode
 * compatibility normalization (a server that applies NFKC reads `．．` as `..`).
 */
function isDotSegment(segment: string): boolean {
  for (const form of [segment, segment.normalize('NFKC')]) {
    const name = form.split(';', 1)[0];
    if (name === '.' || name === '..') return true;
  }
  return false;
}

/** RFC 3986 pchar encoding: keeps sub-delims, `:` and `@` readable. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /%(21|24|26|27|28|29|2A|2B|2C|3A|3B|3D|40)/g,
    (escape) => decodeURIComponent(escape),
  );
}

/**
 * The caller's path after `/run/{service}/`, taken from the raw path (so encoded characters
 * are still visible) rather than from API Gateway's decoded `proxy` parameter.
 */
export function proxyPathOf(rawPath: string, service: string): string {
  const prefix = `/run/${service}/`;
  const at = rawPath.indexOf(prefix);
  if (at < 0) throw new BadRequestError('the path does not start with /run/{service}/');
  return rawPath.slice(at + prefix.length);
}

/**
 * Query strings passed on as sent, except what a server could read two ways: `#` (the rest
 * would become a fragment and be dropped), whitespace and control characters (request
 * splitting), non-ASCII, `"`, `'`, `<` and `>` (the WHATWG URL parser under fetch rewrites
 * them as %22, %27, %3C, %3E, so the service would not get what was sent; found by
 * tests/fuzz), and `%` not followed by two hex digits (servers differ on those).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const AMBIGUOUS_QUERY = /[#"'<>\u0000-\u0020\u007f-\uffff]|%(?![0-9A-Fa-f]{2})/;

/**
 * The service URL joined with the upstream path and the caller's query string, as sent.
 *
 * @throws BadRequestError for a query string a server could read two ways
 */
export function upstreamUrl(serviceUrl: string, path: string, rawQueryString: string): string {
  if (AMBIGUOUS_QUERY.test(rawQueryString)) {
    throw new BadRequestError(
      'the query string has a character that must be percent-encoded, or a malformed escape',
    );
  }
  const base = new URL(serviceUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${basePath}${path}${rawQueryString ? `?${rawQueryString}` : ''}`;
}
