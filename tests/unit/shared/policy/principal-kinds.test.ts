import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../shared/auth/principal';
import { evaluatePolicy } from '../../../../shared/policy/evaluate';
import { describeRequirement } from '../../../../shared/policy/requirement';
import { requirementSchema } from '../../../../shared/policy/requirement-schema';

// Prepare: one caller of each kind, otherwise alike (so only the kind decides).
const base: Omit<Principal, 'kind'> = {
  subject: 's-1',
  groups: ['admins'],
  scopes: ['spanner:read'],
  issuer: 'https://issuer',
  issuerName: 'local-oidc',
};
const person: Principal = { ...base, kind: 'person' };
const machine: Principal = { ...base, kind: 'machine' };
const agent: Principal = { ...base, kind: 'agent' };

describe('policy requirements on the kind of caller', () => {
  it('happy flow: { kind } allows only that kind, and names itself when it denies', () => {
    expect(evaluatePolicy({ kind: 'agent' }, agent)).toEqual({ allowed: true });
    expect(evaluatePolicy({ kind: 'agent' }, person)).toEqual({
      allowed: false,
      missing: 'kind:agent',
    });
    expect(evaluatePolicy({ kind: 'agent' }, machine).allowed).toBe(false);
    expect(evaluatePolicy({ kind: 'machine' }, machine).allowed).toBe(true);
  });

  it('happy flow: { not: { kind } } excludes a kind; in allOf it narrows a group', () => {
    const adminsButNoAgents = { allOf: [{ group: 'admins' }, { not: { kind: 'agent' as const } }] };
    expect(evaluatePolicy(adminsButNoAgents, person).allowed).toBe(true);
    expect(evaluatePolicy(adminsButNoAgents, machine).allowed).toBe(true);
    expect(evaluatePolicy(adminsButNoAgents, agent)).toEqual({
      allowed: false,
      missing: 'not(kind:agent)',
    });
    // The group still counts: a person without it is denied on the group, not the kind.
    expect(evaluatePolicy(adminsButNoAgents, { ...person, groups: [] })).toEqual({
      allowed: false,
      missing: 'group:admins',
    });
  });

  it('happy flow: not negates any requirement, nested', () => {
    expect(evaluatePolicy({ not: { scope: 'spanner:read' } }, agent).allowed).toBe(false);
    expect(evaluatePolicy({ not: { not: { kind: 'agent' } } }, agent).allowed).toBe(true);
    expect(
      evaluatePolicy({ anyOf: [{ group: 'nobody' }, { not: { kind: 'person' } }] }, machine),
    ).toEqual({ allowed: true });
  });

  it('happy flow: describeRequirement writes kinds and negations', () => {
    expect(
      describeRequirement({
        anyOf: [{ group: 'developers' }, { kind: 'agent' }, { not: { kind: 'machine' } }],
      }),
    ).toBe('anyOf(group:developers, kind:agent, not(kind:machine))');
  });

  it('error flow: the schema refuses unknown kinds, an empty not and extra keys', () => {
    expect(requirementSchema.safeParse({ kind: 'agent' }).success).toBe(true);
    expect(requirementSchema.safeParse({ not: { kind: 'person' } }).success).toBe(true);
    expect(requirementSchema.safeParse({ kind: 'robot' }).success).toBe(false);
    expect(requirementSchema.safeParse({ not: {} }).success).toBe(false);
    expect(requirementSchema.safeParse({ kind: 'agent', group: 'admins' }).success).toBe(false);
  });
});
