/**
 * Headers that are never forwarded, whatever an allowlist says: hop-by-hop headers (RFC 9110
 * 7.6.1), framing that fetch recomputes, cookies, credentials, and crossgate's own identity
 * headers (a caller must not be able to claim an identity).
 */
export const NEVER_FORWARDED_HEADERS = [
  'authorization',
  'proxy-authorization',
  'proxy-authenticate',
  'cookie',
  'set-cookie',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'x-correlation-id',
  'traceparent',
  'tracestate',
] as const;
