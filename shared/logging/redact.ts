/** Keys whose values never reach a log line, whatever object they sit in. */
const SENSITIVE_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|password|secret|secretstring|secret_string|client_secret|private_key|private_key_id|access_token|id_token|refresh_token|token|assertion|subject_token)$/i;

export const REDACTED = '[redacted]';

/**
 * JSON replacer for the logger: a last line of defence. Code never logs events, headers or
 * secrets on purpose; this catches the ones that slip into an error or an extra field.
 */
export function redactSensitive(key: string, value: unknown): unknown {
  if (key !== '' && SENSITIVE_KEY.test(key)) return REDACTED;
  if (typeof value === 'string' && /^Bearer\s+\S+/i.test(value)) return REDACTED;
  return value;
}
