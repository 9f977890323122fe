import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../../../shared/auth/claims-to-principal';
import {
  issuerSchema,
  type CognitoIssuerConfig,
  type OidcIssuerConfig,
} from '../../../../shared/config/issuers-schema';

const machines: OidcIssuerConfig = {
  type: 'oidc',
  name: 'machines',
  issuer: 'http://127.0.0.1:4410',
  audience: ['urn:crossgate:api'],
  jwksUri: 'http://127.0.0.1:4410/jwks',
  algorithms: ['RS256', 'ES256'],
  maxLifetimeSeconds: 86_400,
  agents: { clientIds: ['ops-agent'] },
};
const byClaim: OidcIssuerConfig = {
  ...machines,
  name: 'backstage',
  agents: { claim: { name: 'crossgate/kind', value: 'agent' } },
};
const cognito: CognitoIssuerConfig = {
  type: 'cognito',
  name: 'cognito',
  userPoolId: 'us-east-1_Pool1',
  clientIds: ['app', 'assistant-app'],
  tokenUse: ['access'],
  maxLifetimeSeconds: 86_400,
  agents: { clientIds: ['assistant-app'] },
};

describe('claims -> principal kind agent', () => {
  it('happy flow: a client id listed under agents is an agent, named by its client id', () => {
    const principal = principalFromClaims(
      { sub: 'ops-agent', client_id: 'ops-agent', scope: 'spanner:read gerrit:read' },
      machines,
    );
    expect(principal).toMatchObject({
      kind: 'agent',
      username: 'ops-agent',
      clientId: 'ops-agent',
      scopes: ['spanner:read', 'gerrit:read'],
    });
  });

  it('happy flow: another client of the same issuer stays a machine', () => {
    const principal = principalFromClaims({ sub: 'ci-bot', client_id: 'ci-bot' }, machines);
    expect(principal.kind).toBe('machine');
  });

  it('happy flow: azp names the client too, and a person signed in through an agent app is an agent', () => {
    expect(principalFromClaims({ sub: 'x', azp: 'ops-agent' }, machines).kind).toBe('agent');
    expect(
      principalFromClaims(
        { sub: 'u-1', client_id: 'assistant-app', username: 'bob', token_use: 'access' },
        cognito,
      ),
    ).toMatchObject({ kind: 'agent', username: 'bob' });
    expect(
      principalFromClaims({ sub: 'u-1', client_id: 'app', username: 'bob' }, cognito).kind,
    ).toBe('person');
  });

  it('happy flow: by claim, as a string or inside a list', () => {
    expect(principalFromClaims({ sub: 'a', 'crossgate/kind': 'agent' }, byClaim).kind).toBe(
      'agent',
    );
    expect(
      principalFromClaims({ sub: 'a', 'crossgate/kind': ['bot', 'agent'] }, byClaim).kind,
    ).toBe('agent');
  });

  it('error flow: a claim with another value, or the agent client id of an issuer that does not list it, is no agent', () => {
    expect(principalFromClaims({ sub: 'a', 'crossgate/kind': 'agents' }, byClaim).kind).toBe(
      'person',
    );
    expect(principalFromClaims({ sub: 'a', 'crossgate/kind': { v: 'agent' } }, byClaim).kind).toBe(
      'person',
    );
    // The client id is only an agent where config says so: byClaim lists no client ids.
    expect(principalFromClaims({ sub: 'ops-agent', client_id: 'ops-agent' }, byClaim).kind).toBe(
      'machine',
    );
  });

  it('error flow: the schema wants clientIds or a claim, not an empty agents block', () => {
    const raw = { ...machines, agents: {} };
    const parsed = issuerSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('name agents by clientIds, by claim, or both');
    expect(issuerSchema.safeParse({ ...machines, agents: { claim: { name: 'k' } } }).success).toBe(
      false,
    );
  });
});
