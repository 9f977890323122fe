import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../shared/auth/principal';
import { gerritSchema } from '../../../../shared/gerrit/config-schema';
import { ForbiddenError, ValidationError } from '../../../../shared/errors';
import { gerritAccountFor, requireGerritAccount } from '../../../../shared/gerrit/gerrit-account';
import { decodeIdentifier, encodeChangeId } from '../../../../shared/gerrit/gerrit-path';
import { parseQueryChangesParams } from '../../../../shared/gerrit/query-params';
import { checkLabelPolicies, parseReviewInput } from '../../../../shared/gerrit/review-input';

const policy = { anyOf: [{ group: 'developers' }, { scope: 'gerrit:review' }] };
const gerrit = gerritSchema.parse({
  baseUrl: 'https://review.example.com',
  credentialsSecretId: 'crossgate/gerrit',
  maxMessageLength: 20,
  labels: {
    'Code-Review': { min: -2, max: 2, values: { '+2': { group: 'release-managers' } } },
    Verified: { min: -1, max: 1, policy: { scope: 'gerrit:review' } },
  },
  routes: { query: { policy }, get: { policy }, review: { policy }, submit: { policy } },
});

const person = (groups: string[], scopes: string[] = []): Principal => ({
  subject: 'sub-1',
  username: 'bob',
  email: 'bob@example.com',
  groups,
  scopes,
  issuer: 'https://issuer',
  issuerName: 'cognito',
  kind: 'person',
});

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('Gerrit request inputs', () => {
  it('happy flow: n is capped by config and defaults to the cap; o may repeat', () => {
    expect(
      parseQueryChangesParams('q=status:open&n=5000&o=LABELS&o=CURRENT_REVISION', 100),
    ).toEqual({
      q: 'status:open',
      n: 100,
      options: ['LABELS', 'CURRENT_REVISION'],
    });
    expect(parseQueryChangesParams('S=20', 50)).toEqual({ n: 50, start: 20, options: [] });
  });

  it('error flow: unknown parameters, bad numbers and bad options are 400 naming each', () => {
    const error = thrown(() =>
      parseQueryChangesParams('n=0&S=-1&o=labels;rm&skip-visibility=1', 50),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).invalidParams.map((param) => param.name).sort()).toEqual([
      'query.S',
      'query.n',
      'query.o',
      'query.skip-visibility',
    ]);
  });

  it('error flow: review fields outside the subset, long messages and bad notify are refused', () => {
    const error = thrown(() =>
      parseReviewInput(
        {
          message: 'x'.repeat(21),
          notify: 'EVERYONE',
          drafts: 'PUBLISH',
          labels: { 'Code-Review': 1.5 },
        },
        gerrit,
      ),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).invalidParams.map((param) => param.name).sort()).toEqual([
      'body',
      'body.labels.Code-Review',
      'body.message',
      'body.notify',
    ]);
  });

  it('error flow: unconfigured labels and votes outside the range are 400', () => {
    const error = thrown(() => parseReviewInput({ labels: { 'Code-Review': -3, Foo: 1 } }, gerrit));
    expect((error as ValidationError).invalidParams).toEqual([
      { name: 'body.labels.Code-Review', reason: 'must be between -2 and +2' },
      {
        name: 'body.labels.Foo',
        reason: 'not a label crossgate lets callers vote on (Code-Review, Verified)',
      },
    ]);
  });

  it('happy and error flow: each vote is checked against the label and value policies', () => {
    expect(() =>
      checkLabelPolicies({ 'Code-Review': 1 }, gerrit, person(['developers'])),
    ).not.toThrow();
    expect(() =>
      checkLabelPolicies({ 'Code-Review': 2 }, gerrit, person(['release-managers'])),
    ).not.toThrow();
    const plusTwo = thrown(() =>
      checkLabelPolicies({ 'Code-Review': 2 }, gerrit, person(['developers'])),
    );
    expect(plusTwo).toBeInstanceOf(ForbiddenError);
    expect((plusTwo as ForbiddenError).detail).toBe(
      'voting Code-Review+2 requires group:release-managers',
    );
    const verified = thrown(() =>
      checkLabelPolicies({ Verified: -1 }, gerrit, person(['developers'])),
    );
    expect((verified as ForbiddenError).missingPermission).toBe('scope:gerrit:review');
  });

  it('happy flow: the Gerrit account comes from the configured claim and the mapping table', () => {
    const account = {
      claim: 'email' as const,
      map: { 'bob@example.com': 'robert' },
      unmapped: 'passthrough' as const,
    };
    expect(gerritAccountFor(person([]), account)).toBe('robert');
    expect(gerritAccountFor(person([]), { ...account, map: {} })).toBe('bob@example.com');
    expect(gerritAccountFor(person([]), { ...account, map: {}, unmapped: 'deny' })).toBeUndefined();
    expect(
      gerritAccountFor(person([]), { ...account, map: { 'bob@example.com': null } }),
    ).toBeUndefined();
  });

  it('error flow: a caller without the claim has no Gerrit account: 403', () => {
    const principal = { ...person([]), email: undefined };
    const error = thrown(() =>
      requireGerritAccount(principal, { claim: 'email', map: {}, unmapped: 'passthrough' }),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).status).toBe(403);
  });

  it('happy flow: identifiers are encoded once, whether they arrive encoded or not', () => {
    expect(encodeChangeId('team/tools~7')).toBe('team%2Ftools~7');
    expect(encodeChangeId(decodeIdentifier('team%2Ftools~7') ?? '')).toBe('team%2Ftools~7');
    expect(decodeIdentifier('bad%E0%A4%A')).toBeUndefined();
  });

  it('error flow: a label range with min above max is a config error', () => {
    const result = gerritSchema.shape.labels.safeParse({ X: { min: 2, max: -2 } });
    expect(result.success).toBe(false);
  });
});

describe('Gerrit path identifiers (found by tests/fuzz)', () => {
  it.each(['.', '..', ''])('error flow: the id %j is 400, never a dot segment', (id) => {
    expect(() => encodeChangeId(id)).toThrow(ValidationError);
  });

  it('error flow: %2e%2e decodes to .. and is refused when encoded', () => {
    expect(() => encodeChangeId(decodeIdentifier('%2e%2e')!)).toThrow(ValidationError);
  });
});
