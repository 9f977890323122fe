import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../shared/auth/principal';
import { evaluatePolicy } from '../../../../shared/policy/evaluate';

const bob: Principal = {
  subject: 'b-1',
  username: 'bob',
  groups: ['developers'],
  scopes: ['openid'],
  issuer: 'https://issuer',
  issuerName: 'cognito',
  kind: 'person',
};
const ciBot: Principal = {
  ...bob,
  subject: 'ci-bot',
  groups: [],
  scopes: ['run:echo'],
  kind: 'machine',
};

describe('evaluatePolicy', () => {
  it('denies by default when no policy is configured', () => {
    expect(evaluatePolicy(undefined, bob)).toEqual({
      allowed: false,
      missing: 'a policy for this target',
    });
  });

  it('anyOf allows on any group or scope and names the whole requirement when none match', () => {
    const policy = { anyOf: [{ group: 'developers' }, { scope: 'run:echo' }] };
    expect(evaluatePolicy(policy, bob).allowed).toBe(true);
    expect(evaluatePolicy(policy, ciBot).allowed).toBe(true);
    expect(evaluatePolicy(policy, { ...bob, groups: [] })).toEqual({
      allowed: false,
      missing: 'anyOf(group:developers, scope:run:echo)',
    });
  });

  it('allOf needs every requirement and names the first one missing', () => {
    const policy = { allOf: [{ group: 'developers' }, { scope: 'spanner:write' }] };
    expect(evaluatePolicy(policy, bob)).toEqual({ allowed: false, missing: 'scope:spanner:write' });
    expect(evaluatePolicy(policy, { ...bob, scopes: ['spanner:write'] }).allowed).toBe(true);
  });

  it('a group name is not a scope and a scope is not a group', () => {
    expect(evaluatePolicy({ scope: 'developers' }, bob).allowed).toBe(false);
    expect(evaluatePolicy({ group: 'run:echo' }, ciBot).allowed).toBe(false);
  });

  it('authenticated allows any verified principal', () => {
    expect(evaluatePolicy({ authenticated: true }, ciBot).allowed).toBe(true);
  });
});
