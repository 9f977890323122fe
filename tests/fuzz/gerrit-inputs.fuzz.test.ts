import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gerritSchema } from '../../shared/gerrit/config-schema';
import {
  decodeIdentifier,
  encodeChangeId,
  encodeProjectName,
  encodeRevisionId,
} from '../../shared/gerrit/gerrit-path';
import { parseQueryChangesParams } from '../../shared/gerrit/query-params';
import { parseReviewInput, parseSubmitInput } from '../../shared/gerrit/review-input';
import { fuzzParameters, outcomeOf } from './fuzz-kit';

const policy = { scope: 'gerrit:review' };
const gerrit = gerritSchema.parse({
  baseUrl: 'https://review.example.com',
  credentialsSecretId: 'crossgate/gerrit',
  labels: { 'Code-Review': { min: -2, max: 2 }, Verified: { min: -1, max: 1 } },
  routes: { query: { policy }, get: { policy }, review: { policy }, submit: { policy } },
});

const tricky = fc.constantFrom(
  '.',
  '..',
  '%2e%2e',
  '%2E.',
  'demo~1',
  'team/tools~42',
  'team%2Ftools~42',
  '%',
  '%zz',
  '~',
  'I8473b95934b5732ac55d26311a706c9c2bde9940',
  'current',
  '1',
  '',
  '%00',
  '..;',
  '?',
  '#',
);
const identifier = fc.oneof(
  tricky,
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);

describe('fuzz: Gerrit ids, query parameters and review bodies', () => {
  it('an identifier becomes exactly one path segment that is not a dot segment, or a 400', () => {
    fc.assert(
      fc.property(
        identifier,
        fc.constantFrom(encodeChangeId, encodeRevisionId, encodeProjectName),
        (raw, encode) => {
          const decoded = decodeIdentifier(raw);
          if (decoded === undefined) return;
          const outcome = outcomeOf(() => encode(decoded));
          if ('error' in outcome) {
            expect(outcome.error.status).toBe(400);
            return;
          }
          const segment = outcome.value;
          expect(segment).not.toMatch(/[/?#\\]/);
          expect(['.', '..', '']).not.toContain(segment);
          // It stays one segment under the change route, as a URL parser resolves it.
          const url = new URL(`https://review.example.com/a/changes/${segment}/detail`);
          expect(url.pathname.startsWith('/a/changes/')).toBe(true);
          expect(url.pathname.split('/')).toHaveLength(5);
          expect(decodeURIComponent(url.pathname.split('/')[3]!)).toBe(decoded);
        },
      ),
      fuzzParameters,
    );
  });

  it('any query string gives bounded parameters or a 400', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc
            .array(
              fc.tuple(
                fc.constantFrom('q', 'n', 'S', 'o', 'x', 'N'),
                fc.oneof(
                  fc.string({ maxLength: 10 }),
                  fc.integer().map(String),
                  fc.constantFrom('1e3', '-1', '0x10', '99999999999999999999', 'LABELS'),
                ),
              ),
              { maxLength: 6 },
            )
            .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')),
        ),
        (query) => {
          const outcome = outcomeOf(() => parseQueryChangesParams(query, 50));
          if ('error' in outcome) {
            expect(outcome.error.status).toBe(400);
            return;
          }
          expect(outcome.value.n).toBeGreaterThanOrEqual(1);
          expect(outcome.value.n).toBeLessThanOrEqual(50);
          expect(Number.isSafeInteger(outcome.value.n)).toBe(true);
          if (outcome.value.start !== undefined) {
            expect(Number.isSafeInteger(outcome.value.start)).toBe(true);
            expect(outcome.value.start).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      fuzzParameters,
    );
  });

  it('any review or submit body is a checked input or a 4xx, and never acts on behalf of another', () => {
    const label = fc.constantFrom('Code-Review', 'Verified', 'Other', '__proto__', 'constructor');
    const review = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          message: fc.oneof(fc.string({ maxLength: 30 }), fc.integer()),
          labels: fc.dictionary(
            label,
            fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double(), fc.string()),
          ),
          tag: fc.string({ maxLength: 20 }),
          notify: fc.constantFrom('NONE', 'ALL', 'nobody'),
          on_behalf_of: fc.string({ maxLength: 5 }),
          drafts: fc.constant('PUBLISH'),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(review, (body) => {
        const outcome = outcomeOf(() => parseReviewInput(body, gerrit));
        if ('value' in outcome) {
          expect(outcome.value).not.toHaveProperty('on_behalf_of');
          for (const [name, vote] of Object.entries(outcome.value.labels ?? {})) {
            const range = gerrit.labels[name]!;
            expect(Number.isInteger(vote)).toBe(true);
            expect(vote).toBeGreaterThanOrEqual(range.min);
            expect(vote).toBeLessThanOrEqual(range.max);
          }
        }
        const submit = outcomeOf(() => parseSubmitInput(body));
        if ('value' in submit) expect(submit.value).not.toHaveProperty('on_behalf_of');
      }),
      fuzzParameters,
    );
  });
});
