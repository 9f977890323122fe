import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonBody, requestBody } from '../../shared/http/request-body';
import { httpApiEvent } from '../helpers/lambda-event';
import { fuzzParameters, outcomeOf } from './fuzz-kit';

const MAX = 512;

describe('fuzz: request bodies and size limits', () => {
  it('a base64 body is passed exactly or refused', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          // What API Gateway sends for binary bodies...
          fc.uint8Array({ maxLength: 700 }).map((bytes) => Buffer.from(bytes).toString('base64')),
          // ...and what it never sends.
          fc.string({ maxLength: 100 }),
          fc
            .uint8Array({ minLength: 1, maxLength: 100 })
            .map((bytes) => Buffer.from(bytes).toString('base64').replace(/=+$/, '')),
        ),
        (body) => {
          const outcome = outcomeOf(() =>
            requestBody(httpApiEvent('POST /x', { body, isBase64Encoded: true }), MAX),
          );
          if ('error' in outcome) {
            expect([400, 413]).toContain(outcome.error.status);
            return;
          }
          expect(outcome.value).toBeDefined();
          expect(outcome.value!.length).toBeLessThanOrEqual(MAX);
          expect(outcome.value!.toString('base64')).toBe(body);
        },
      ),
      fuzzParameters,
    );
  });

  it('a text body is passed exactly (as UTF-8) or refused, and the size limit is exact', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 600 }),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.string({
            unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
            maxLength: 4,
          }),
        ),
        (body) => {
          const outcome = outcomeOf(() => requestBody(httpApiEvent('POST /x', { body }), MAX));
          if ('error' in outcome) {
            if (outcome.error.status === 413) {
              expect(Buffer.byteLength(body, 'utf8')).toBeGreaterThan(MAX);
            } else {
              expect(outcome.error.status).toBe(400);
              // A lone surrogate: no UTF-8 form exists, so the bytes cannot be passed exactly.
              expect(Buffer.from(body, 'utf8').toString('utf8')).not.toBe(body);
            }
            return;
          }
          expect(outcome.value!.toString('utf8')).toBe(body);
          expect(outcome.value!.length).toBeLessThanOrEqual(MAX);
        },
      ),
      fuzzParameters,
    );
  });

  it('a JSON body is parsed from exactly the bytes sent, or refused', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .jsonValue({ maxDepth: 3 })
            .map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
          fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes)),
          // JSON with one byte that is not UTF-8 inside a string.
          fc
            .integer({ min: 0x80, max: 0xff })
            .map((byte) =>
              Buffer.concat([Buffer.from('{"a":"'), Buffer.from([byte]), Buffer.from('"}')]),
            ),
        ),
        fc.constantFrom(
          undefined,
          'application/json',
          'text/plain',
          'application/merge-patch+json',
        ),
        (bytes, contentType) => {
          const event = httpApiEvent('POST /x', {
            body: bytes.toString('base64'),
            isBase64Encoded: true,
            ...(contentType ? { headers: { 'content-type': contentType } } : {}),
          });
          const outcome = outcomeOf(() => readJsonBody(event, MAX));
          if ('error' in outcome) {
            expect([400, 413, 415]).toContain(outcome.error.status);
            return;
          }
          const text = bytes.toString('utf8');
          if (text.trim() === '') {
            expect(outcome.value).toEqual({});
            return;
          }
          // Parsed from the exact bytes: they were valid UTF-8, and re-encode to themselves.
          expect(Buffer.from(text, 'utf8').equals(bytes)).toBe(true);
          expect(outcome.value).toEqual(JSON.parse(text));
        },
      ),
      fuzzParameters,
    );
  });
});
