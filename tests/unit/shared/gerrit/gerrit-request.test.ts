import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, ValidationError } from '../../../../shared/errors';
import { gerritSchema } from '../../../../shared/gerrit/config-schema';
import { endpointMatcher } from '../../../../shared/gerrit/endpoint-router';
import { KNOWN_GERRIT_ENDPOINTS } from '../../../../shared/gerrit/gerrit-endpoints';
import {
  buildGerritPath,
  gerritPathOf,
  pathParameter,
} from '../../../../shared/gerrit/gerrit-request-path';
import { parseReviewInput, parseSubmitInput } from '../../../../shared/gerrit/review-input';

const policy = { group: 'developers' };
const gerrit = gerritSchema.parse({
  baseUrl: 'https://review.example.com',
  credentialsSecretId: 'crossgate/gerrit',
  labels: { 'Code-Review': { min: -2, max: 2 } },
  endpoints: KNOWN_GERRIT_ENDPOINTS.map(({ method, path }) => ({ method, path, policy })),
});

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('Gerrit request paths', () => {
  it('happy flow: the Gerrit path after /gerrit/a keeps its encoding, behind a stage too', () => {
    expect(gerritPathOf('/gerrit/a/changes/team%2Ftools~7/detail')).toBe(
      '/changes/team%2Ftools~7/detail',
    );
    expect(gerritPathOf('/prod/gerrit/a/changes/')).toBe('/changes/');
  });

  it('error flow: a segment that is . or .. once or twice decoded, or with ;, is 400', () => {
    for (const path of [
      '/gerrit/a/changes/.',
      '/gerrit/a/changes/..',
      '/gerrit/a/changes/%2e',
      '/gerrit/a/changes/%2E%2E',
      '/gerrit/a/changes/%252e',
      '/gerrit/a/changes/%252e%252e/detail',
      '/gerrit/a/changes/..;/x',
      '/gerrit/a/changes/%2e%2e%3b/x',
      '/gerrit/a/changes/demo%2F..%2Fx',
    ]) {
      expect(
        thrown(() => gerritPathOf(path)),
        path,
      ).toBeInstanceOf(ValidationError);
    }
    expect(thrown(() => gerritPathOf('/gerrit/a/changes/%E0%A4%A'))).toBeInstanceOf(
      BadRequestError,
    );
  });

  it('happy flow: ids are decoded once and encoded once as one segment each', () => {
    const id = pathParameter('id', 'team%2Ftools~7');
    expect(id).toBe('team/tools~7');
    expect(
      buildGerritPath('/changes/{id}/revisions/{rev}/files/{file}/diff', {
        id,
        rev: 'current',
        file: 'src/app.ts',
      }),
    ).toBe('/changes/team%2Ftools~7/revisions/current/files/src%2Fapp.ts/diff');
    expect(thrown(() => pathParameter('id', 'a%00b'))).toBeInstanceOf(ValidationError);
  });
});

describe('Gerrit endpoint allowlist', () => {
  const match = endpointMatcher(gerrit.endpoints);

  it('happy flow: each endpoint of issue 13 matches, with and without a trailing slash', () => {
    expect(match('GET', '/changes/')?.known.kind).toBe('queryChanges');
    expect(match('GET', '/changes')?.known.kind).toBe('queryChanges');
    expect(match('GET', '/changes/demo~1')?.rawParams).toEqual({ id: 'demo~1' });
    expect(match('GET', '/changes/demo~1/detail')?.known.path).toBe('/changes/{id}/detail');
    expect(match('GET', '/changes/1/revisions/current/files/src%2Fa.ts/diff')?.rawParams).toEqual({
      id: '1',
      rev: 'current',
      file: 'src%2Fa.ts',
    });
    expect(match('POST', '/changes/1/revisions/2/submit')?.known.kind).toBe('submit');
    expect(match('GET', '/groups/Release%20Managers/members/')?.rawParams).toEqual({
      group: 'Release%20Managers',
    });
    expect(match('GET', '/config/server/version')?.known.kind).toBe('json');
  });

  it('error flow: other methods and paths do not match (the handler answers 404)', () => {
    expect(match('DELETE', '/changes/demo~1')).toBeUndefined();
    expect(match('POST', '/changes/demo~1')).toBeUndefined();
    expect(match('GET', '/changes/demo~1/revisions/1/files/a/download')).toBeUndefined();
    expect(match('GET', '/accounts/bob')).toBeUndefined();
    expect(match('GET', '/plugins/')).toBeUndefined();
  });

  it('error flow: config naming an endpoint the gateway cannot guard is refused, naming the key', () => {
    const result = gerritSchema.safeParse({
      baseUrl: 'https://review.example.com',
      credentialsSecretId: 'x',
      endpoints: [{ method: 'POST', path: '/changes/{id}/abandon', policy }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['endpoints', 0, 'path']);
    expect(result.error?.issues[0]?.message).toMatch(/not a Gerrit endpoint crossgate knows/);
  });

  it('error flow: a path outside /gerrit/a/ is 404', () => {
    expect(thrown(() => gerritPathOf('/gerrit/changes'))).toBeInstanceOf(NotFoundError);
  });
});

describe('Gerrit review and submit bodies', () => {
  it('error flow: a null, list or number body is 400', () => {
    for (const body of [null, [], 3, 'x']) {
      expect(thrown(() => parseReviewInput(body, gerrit))).toBeInstanceOf(ValidationError);
      expect(thrown(() => parseSubmitInput(body))).toBeInstanceOf(ValidationError);
    }
  });

  it('error flow: labels or comments keyed __proto__ are 400, not an empty review', () => {
    for (const text of [
      '{"labels":{"__proto__":{"Code-Review":2}}}',
      '{"comments":{"__proto__":[{"message":"x"}]}}',
      '{"__proto__":{"labels":{"Code-Review":2}},"message":"hi"}',
    ]) {
      const error = thrown(() => parseReviewInput(JSON.parse(text), gerrit));
      expect(error, text).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).detail).toMatch(/__proto__/);
    }
  });

  it('happy flow: reviewers and inline comments pass as Gerrit takes them', () => {
    expect(
      parseReviewInput(
        {
          message: 'ok',
          labels: { 'Code-Review': 1 },
          reviewers: [{ reviewer: 'alice', state: 'CC' }],
          comments: { 'src/app.ts': [{ line: 3, message: 'nit' }] },
        },
        gerrit,
      ),
    ).toMatchObject({ reviewers: [{ reviewer: 'alice', state: 'CC' }] });
  });
});
