import { describe, expect, it } from 'vitest';
import { spannerSchema } from '../../../../shared/spanner/config-schema';
import { hashMaskApplies } from '../../../../shared/spanner/mask-key';
import { bobPrincipal as bob } from '../../../helpers/seed-principals';

const section = (statement: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  projectId: 'p',
  instanceId: 'i',
  databaseId: 'd',
  ...extra,
  statements: {
    probe: {
      sql: 'SELECT SingerId, Email FROM Singers',
      mode: 'read',
      policy: { authenticated: true },
      ...statement,
    },
  },
});

const messages = (raw: unknown): string[] => {
  const parsed = spannerSchema.safeParse(raw);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe('spanner mask config', () => {
  it('happy flow: a partial mask needs no key; a hash mask with maskKeySecretId validates', () => {
    expect(
      messages(section({ mask: { Email: { unless: { group: 'admins' }, as: 'partial' } } })),
    ).toEqual([]);
    expect(
      messages(
        section(
          { mask: { Email: { unless: { group: 'admins' }, as: 'hash' } } },
          { maskKeySecretId: 'crossgate/spanner-mask-key' },
        ),
      ),
    ).toEqual([]);
  });

  it('error flow: hash without maskKeySecretId, a mask on a write, an unknown style', () => {
    expect(
      messages(section({ mask: { Email: { unless: { group: 'admins' }, as: 'hash' } } })),
    ).toEqual(['a hash mask needs spanner.maskKeySecretId (the deployment mask key)']);
    expect(
      messages(
        section({
          sql: 'UPDATE Singers SET Email = NULL WHERE TRUE',
          mode: 'write',
          mask: { Email: { unless: { group: 'admins' }, as: 'redact' } },
        }),
      ),
    ).toEqual(['mask applies to read statements only (a write returns no rows)']);
    expect(
      messages(section({ mask: { Email: { unless: { group: 'admins' }, as: 'rot13' } } })),
    ).not.toEqual([]);
  });

  it('happy flow: the key is needed only when a hash mask applies to the caller', () => {
    const hashUnlessAdmins = { Email: { unless: { group: 'admins' }, as: 'hash' as const } };
    expect(hashMaskApplies(hashUnlessAdmins, bob)).toBe(true);
    expect(hashMaskApplies(hashUnlessAdmins, { ...bob, groups: ['admins'] })).toBe(false);
    expect(hashMaskApplies({ Email: { unless: { group: 'admins' }, as: 'partial' } }, bob)).toBe(
      false,
    );
    expect(hashMaskApplies(undefined, bob)).toBe(false);
  });
});
