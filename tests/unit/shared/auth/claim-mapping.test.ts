import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../../../shared/auth/claims-to-principal';
import { oidcIssuerSchema } from '../../../../shared/config/issuers-schema';

const backstage = oidcIssuerSchema.parse({
  type: 'oidc',
  name: 'backstage',
  issuer: 'https://backstage.example/api/auth',
  audience: ['backstage'],
  jwksUri: 'https://backstage.example/api/auth/.well-known/jwks.json',
  algorithms: ['ES256'],
  claimMapping: {
    username: { claim: 'sub', match: '^user:default/(.+)$' },
    groups: { claim: 'ent', match: '^group:default/(.+)$' },
  },
});

describe('per-issuer claim mapping', () => {
  it('happy flow: a Backstage user token: username from sub, groups from the ent group refs', () => {
    const principal = principalFromClaims(
      {
        iss: 'https://backstage.example/api/auth',
        sub: 'user:default/alice',
        aud: 'backstage',
        ent: ['user:default/alice', 'group:default/release-managers', 'group:default/admins'],
      },
      backstage,
    );
    expect(principal).toMatchObject({
      username: 'alice',
      subject: 'user:default/alice',
      groups: ['release-managers', 'admins'],
      issuerName: 'backstage',
      kind: 'person',
    });
  });

  it('error flow: refs of another namespace or kind map to nothing', () => {
    const principal = principalFromClaims(
      { sub: 'user:other/mallory', ent: ['group:other/admins', 'component:default/x'] },
      backstage,
    );
    expect(principal.username).toBeUndefined();
    expect(principal.groups).toEqual([]);
  });

  it('error flow: a pattern without a capture group is a config error', () => {
    const result = oidcIssuerSchema.safeParse({
      ...backstage,
      claimMapping: { username: { claim: 'sub', match: '^user:default/.+$' } },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['claimMapping', 'username', 'match']);
  });
});
