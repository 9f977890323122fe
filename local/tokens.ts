import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from './seed/moto-clients';
import type { StackState } from './services/types';

export type TokenKind = 'access' | 'id';

/** A real token for a seeded principal: Cognito (moto) for people, the OIDC provider for machines. */
export async function tokenFor(
  state: StackState,
  name: string,
  kind: TokenKind = 'access',
  /** OIDC resource indicator (audience); crossgate's by default. */
  resource?: string,
): Promise<string> {
  const person = state.cognito?.users[name];
  if (person && state.cognito && state.moto) {
    const result = await cognitoClient(state.moto.endpoint, state.moto.region).send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: state.cognito.clientId,
        AuthParameters: { USERNAME: name, PASSWORD: person.password },
      }),
    );
    const token =
      kind === 'id'
        ? result.AuthenticationResult?.IdToken
        : result.AuthenticationResult?.AccessToken;
    if (!token) throw new Error(`Cognito returned no ${kind} token for ${name}`);
    return token;
  }
  const client = state.oidc?.clients[name];
  if (client && state.oidc) {
    const response = await fetch(state.oidc.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${name}:${client.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: client.scope,
        resource: resource ?? state.oidc.audience,
      }),
    });
    const body = (await response.json()) as { access_token?: string; error?: string };
    if (!response.ok || !body.access_token) {
      throw new Error(
        `OIDC provider refused a token for ${name}: ${body.error ?? response.status}`,
      );
    }
    return body.access_token;
  }
  const known = [
    ...Object.keys(state.cognito?.users ?? {}),
    ...Object.keys(state.oidc?.clients ?? {}),
  ];
  throw new Error(`unknown principal "${name}"; seeded: ${known.join(', ')}`);
}

/**
 * A Backstage user token for a seeded catalog user, minted by the Backstage stand-in the way
 * the auth backend signs one after sign-in (ES256, `sub` user:default/<name>, `ent` refs).
 */
export async function backstageTokenFor(state: StackState, name: string): Promise<string> {
  if (!state.backstage) throw new Error('the Backstage stand-in is not running in this stack');
  const response = await fetch(`${state.backstage.usersUrl}/${encodeURIComponent(name)}/token`, {
    method: 'POST',
    signal: AbortSignal.timeout(5000),
  });
  const body = (await response.json()) as {
    backstageIdentity?: { token?: string };
    error?: { message?: string };
  };
  const token = body.backstageIdentity?.token;
  if (!response.ok || !token) {
    throw new Error(
      `Backstage stand-in refused a token for ${name}: ${body.error?.message ?? response.status}`,
    );
  }
  return token;
}
