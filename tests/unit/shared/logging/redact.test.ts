import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactSensitive } from '../../../../shared/logging/redact';

/** The replacer as it was before issue 16 (one regex per key): the new one must agree. */
const FORMER_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|password|secret|secretstring|secret_string|client_secret|private_key|private_key_id|access_token|id_token|refresh_token|token|assertion|subject_token)$/i;
function formerRedact(key: string, value: unknown): unknown {
  if (key !== '' && FORMER_KEY.test(key)) return REDACTED;
  if (typeof value === 'string' && /^Bearer\s+\S+/i.test(value)) return REDACTED;
  return value;
}

describe('redactSensitive', () => {
  it('happy flow: sensitive keys in any case and Bearer values are redacted, the rest kept', () => {
    const line = JSON.stringify(
      {
        Authorization: 'x',
        headers: { 'Set-Cookie': 's=1', accept: 'json' },
        nested: { Client_Secret: 'y', note: 'bearer abc.def', plain: 'Bearer' },
        route: 'GET /me',
      },
      redactSensitive,
    );
    expect(JSON.parse(line)).toEqual({
      Authorization: REDACTED,
      headers: { 'Set-Cookie': REDACTED, accept: 'json' },
      nested: { Client_Secret: REDACTED, note: REDACTED, plain: 'Bearer' },
      route: 'GET /me',
    });
  });

  it('property: the same verdict as the former regex replacer on any key and value', () => {
    const keys = fc.oneof(
      fc.string(),
      fc.constantFrom('TOKEN', 'Id_Token', 'x-API-key', 'tokens', 'secret ', 'Cookie', ''),
    );
    const values = fc.oneof(
      fc.string(),
      fc.constantFrom('Bearer a', 'bEaReR\tb', 'Bearer ', 'bearer', ' Bearer a', 'B'),
      fc.integer(),
    );
    fc.assert(
      fc.property(keys, values, (key, value) => {
        expect(redactSensitive(key, value)).toEqual(formerRedact(key, value));
      }),
      { numRuns: 5000 },
    );
  });
});
