/** Keys whose values never reach a log line, whatever object they sit in (compared lower-cased). */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'password',
  'secret',
  'secretstring',
  'secret_string',
  'client_secret',
  'private_key',
  'private_key_id',
  'access_token',
  'id_token',
  'refresh_token',
  'token',
  'assertion',
  'subject_token',
]);

const BEARER = /^Bearer\s+\S+/i;
/** `b` and `B`: the first character of every value BEARER can match. */
const LOWER_B = 0x62;

export const REDACTED = '[redacted]';

/**
 * JSON replacer for the logger: a last line of defence. Code never logs events, headers or
 * secrets on purpose; this catches the ones that slip into an error or an extra field.
 *
 * It runs for every key and value of every log line, so it is written for the common case
 * (issue 16: the audit line): a Set lookup instead of an alternation regex per key (a key is
 * lower-cased only when it is not found as it is), and the Bearer regex only on strings that
 * start with a `b`. Same verdicts as the regex it replaced (tests/unit/shared/logging).
 */
export function redactSensitive(key: string, value: unknown): unknown {
  if (key !== '' && (SENSITIVE_KEYS.has(key) || SENSITIVE_KEYS.has(key.toLowerCase()))) {
    return REDACTED;
  }
  if (typeof value === 'string' && (value.charCodeAt(0) | 0x20) === LOWER_B && BEARER.test(value)) {
    return REDACTED;
  }
  return value;
}
