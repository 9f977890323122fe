import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proxyPathOf, upstreamPath, upstreamUrl } from '../../shared/cloud-run/proxy-path';
import { fuzzParameters, outcomeOf } from './fuzz-kit';

/** Pieces that path tricks are made of, in plain, encoded and double-encoded forms. */
const piece = fc.oneof(
  fc.constantFrom(
    '.',
    '..',
    '..;',
    ';',
    '%2e',
    '%2E',
    '%2e%2e',
    '%252e',
    '%2f',
    '%2F',
    '%5c',
    '\\',
    '/',
    '//',
    '%00',
    '%0a',
    '%',
    '%zz',
    '%c0%ae',
    '%u002e',
    '．',
    '%EF%BC%8E',
    'a',
    'b',
    '~',
    '%20',
    '@',
    ':',
    '?',
    '#',
    'é',
    '%C3%A9',
    ';x=1',
    '%3B',
  ),
  fc.string({ maxLength: 6 }),
);
const rawPath = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));

/** How a server resolves dot segments (RFC 3986 §5.2.4), with Tomcat's `;` stripping. */
function resolvesOutside(path: string): boolean {
  let depth = 0;
  for (const raw of path.split('/').slice(1)) {
    const segment = decodeURIComponent(raw).normalize('NFKC').split(';')[0];
    if (segment === '..') depth -= 1;
    else if (segment !== '.' && segment !== '') depth += 1;
    if (depth < 0) return true;
  }
  return false;
}

describe('fuzz: /run proxy path and query', () => {
  it('no path escapes the service prefix, in any decoding a server might apply', () => {
    fc.assert(
      fc.property(rawPath, (raw) => {
        const outcome = outcomeOf(() => upstreamPath(raw));
        if ('error' in outcome) {
          expect(outcome.error.status).toBe(400);
          return;
        }
        const path = outcome.value;
        expect(path.startsWith('/')).toBe(true);
        // Decoded once and twice, with `;`-parameters stripped: no dot segment survives.
        expect(resolvesOutside(path)).toBe(false);
        for (const segment of path.split('/')) {
          const once = decodeURIComponent(segment);
          expect(['.', '..']).not.toContain(once.split(';')[0]);
          expect(once).not.toMatch(/[/\\]/);
        }
        // The base URL's path is kept: the service prefix is a prefix of the result.
        const url = new URL(upstreamUrl('https://svc.a.run.app/base', path, ''));
        expect(url.origin).toBe('https://svc.a.run.app');
        expect(url.pathname.startsWith('/base/')).toBe(true);
      }),
      fuzzParameters,
    );
  });

  it('a query string is passed exactly or refused', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join('&')),
        ),
        (query) => {
          const outcome = outcomeOf(() => upstreamUrl('https://svc.a.run.app', '/x', query));
          if ('error' in outcome) return;
          const url = new URL(outcome.value);
          expect(url.pathname).toBe('/x');
          expect(url.search).toBe(query === '' ? '' : `?${query}`);
        },
      ),
      fuzzParameters,
    );
  });

  it('proxyPathOf refuses paths outside /run/{service}/ with a 400', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (rawPath) => {
        const outcome = outcomeOf(() => proxyPathOf(rawPath, 'echo'));
        if ('value' in outcome) expect(rawPath).toContain('/run/echo/');
      }),
      fuzzParameters,
    );
  });
});
