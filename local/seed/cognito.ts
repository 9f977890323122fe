import { randomBytes } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from './moto-clients';

/** DESIGN.md's offline seed: people in the Cognito pool. */
export const seededPeople = {
  alice: { email: 'alice@example.com', groups: ['admins', 'release-managers'] },
  bob: { email: 'bob@example.com', groups: ['developers'] },
} as const;

export const seededGroups = ['admins', 'developers', 'release-managers'] as const;

export async function seedCognito(endpoint: string, region: string) {
  const cognito = cognitoClient(endpoint, region);
  const pool = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'crossgate-dev',
      UsernameAttributes: [],
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
    }),
  );
  const userPoolId = pool.UserPool?.Id;
  if (!userPoolId) throw new Error('moto returned no user pool id');
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'crossgate-cli',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const clientId = client.UserPoolClient?.ClientId;
  if (!clientId) throw new Error('moto returned no app client id');

  for (const group of seededGroups) {
    await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
  }
  const users: Record<string, { password: string; groups: string[] }> = {};
  for (const [username, person] of Object.entries(seededPeople)) {
    const password = `Dev-${randomBytes(12).toString('base64url')}1!`;
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: person.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
    for (const group of person.groups) {
      await cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: userPoolId,
          Username: username,
          GroupName: group,
        }),
      );
    }
    users[username] = { password, groups: [...person.groups] };
  }
  return { userPoolId, clientId, users };
}
