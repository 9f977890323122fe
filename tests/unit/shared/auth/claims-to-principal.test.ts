import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../../../shared/auth/claims-to-principal';
import type {
  CognitoIssuerConfig,
  OidcIssuerConfig,
} from '../../../../shared/config/issuers-schema';

const cognito: CognitoIssuerConfig = {
  type: 'cognito',
  name: 'cognito',
  userPoolId: 'us-east-1_Pool1',
  clientIds: ['app'],
  tokenUse: ['access', 'id'],
  maxLifetimeSeconds: 86_400,
};
const okta: OidcIssuerConfig = {
  type: 'oidc',
  name: 'okta',
  issuer: 'https://okta.example',
  audience: ['api'],
  jwksUri: 'https://okta.example/keys',
  algorithms: ['RS256'],
  groupsClaim: 'roles',
  maxLifetimeSeconds: 86_400,
};

describe('principalFromClaims', () => {
  it('a Cognito access token: username, groups, scopes, client id, person', () => {
    const principal = principalFromClaims(
      {
        sub: 'u-1',
        iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1',
        username: 'alice',
        client_id: 'app',
        token_use: 'access',
        scope: 'openid profile',
        'cognito:groups': ['admins'],
      },
      cognito,
    );
    expect(principal).toEqual({
      subject: 'u-1',
      username: 'alice',
      email: undefined,
      groups: ['admins'],
      scopes: ['openid', 'profile'],
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1',
      issuerName: 'cognito',
      clientId: 'app',
      kind: 'person',
    });
  });

  it('a Cognito id token: cognito:username, email, client id from aud', () => {
    const principal = principalFromClaims(
      {
        sub: 'u-2',
        'cognito:username': 'bob',
        email: 'bob@example.com',
        aud: 'app',
        token_use: 'id',
      },
      cognito,
    );
    expect(principal).toMatchObject({
      username: 'bob',
      email: 'bob@example.com',
      clientId: 'app',
      kind: 'person',
    });
  });

  it('a client-credentials token (sub == client_id) is a machine named by its client id', () => {
    const principal = principalFromClaims(
      { sub: 'ci-bot', client_id: 'ci-bot', scope: 'run:echo' },
      okta,
    );
    expect(principal).toMatchObject({ kind: 'machine', username: 'ci-bot', scopes: ['run:echo'] });
  });

  it('gty client_credentials (Auth0) marks a machine too', () => {
    expect(
      principalFromClaims({ sub: 'x@clients', azp: 'x', gty: 'client_credentials' }, okta).kind,
    ).toBe('machine');
  });

  it('scp as an array (Okta) and a configured groups claim', () => {
    const principal = principalFromClaims(
      { sub: 'u-3', scp: ['a', 'b'], roles: ['ops'], preferred_username: 'carol' },
      okta,
    );
    expect(principal).toMatchObject({
      scopes: ['a', 'b'],
      groups: ['ops'],
      username: 'carol',
      kind: 'person',
    });
  });

  it('ignores claims of the wrong type', () => {
    const principal = principalFromClaims(
      {
        sub: 'u-4',
        scope: 42,
        roles: 'not-a-list-but-a-string',
        email: ['x'],
      } as unknown as JwtPayload,
      okta,
    );
    expect(principal).toMatchObject({
      scopes: [],
      groups: ['not-a-list-but-a-string'],
      email: undefined,
    });
  });
});
