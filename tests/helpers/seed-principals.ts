import type { Principal } from '../../shared/auth/principal';

/**
 * Principals shaped like the offline seed's (docs: DESIGN.md "Offline seed"), for tests that
 * need a verified caller without minting a token: a Cognito person and a machine client.
 */
export const bobPrincipal: Principal = {
  subject: '7f3a-uuid',
  username: 'bob',
  email: 'bob@example.com',
  groups: ['developers'],
  scopes: [],
  issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc',
  issuerName: 'cognito',
  kind: 'person',
};

export const ciBotPrincipal: Principal = {
  subject: 'ci-bot',
  groups: [],
  scopes: ['run:echo', 'gerrit:read'],
  issuer: 'http://127.0.0.1:4410',
  issuerName: 'local-oidc',
  clientId: 'ci-bot',
  kind: 'machine',
};
