import { describe, expect, it } from 'vitest';
import { BadRequestError, PayloadTooLargeError } from '../../../../shared/errors';
import { readJsonBody, requestBody } from '../../../../shared/http/request-body';
import { httpApiEvent } from '../../../helpers/lambda-event';

describe('requestBody', () => {
  it('happy flow: binary bytes (every byte value) pass exactly through base64', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const event = httpApiEvent('POST /x', {
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });
    expect(requestBody(event, 1024)?.equals(bytes)).toBe(true);
  });

  it.each([
    ['a character outside base64', 'AAAA!AAA'],
    ['missing padding', 'AAA'],
    ['non-zero unused bits', 'AB=='],
    ['whitespace', 'AAAA AAAA'],
  ])('error flow: a base64 body with %s is 400, not silently altered', (_name, body) => {
    const event = httpApiEvent('POST /x', { body, isBase64Encoded: true });
    expect(() => requestBody(event, 1024)).toThrow(BadRequestError);
  });

  it('error flow: a text body with a lone surrogate is 400 (it has no UTF-8 form)', () => {
    expect(() => requestBody(httpApiEvent('POST /x', { body: 'a\ud800b' }), 1024)).toThrow(
      BadRequestError,
    );
  });

  it('error flow: one byte over the limit is 413, the limit itself passes', () => {
    expect(requestBody(httpApiEvent('POST /x', { body: 'é'.repeat(512) }), 1024)).toHaveLength(
      1024,
    );
    expect(() =>
      requestBody(httpApiEvent('POST /x', { body: `${'é'.repeat(512)}a` }), 1024),
    ).toThrow(PayloadTooLargeError);
  });
});

describe('readJsonBody', () => {
  it('error flow: JSON whose bytes are not UTF-8 is 400, not parsed with U+FFFD in it', () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    const event = httpApiEvent('POST /x', {
      body: bytes.toString('base64'),
      isBase64Encoded: true,
      headers: { 'content-type': 'application/json' },
    });
    expect(() => readJsonBody(event, 1024)).toThrow('the JSON body is not valid UTF-8');
  });
});
