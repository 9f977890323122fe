/**
 * The baseline: a Lambda handler with no gateway at all, returning a body of the same size
 * and shape as /me. Whatever /me costs above this is the gateway's price.
 */
const body = JSON.stringify({
  principal: {
    subject: '00000000-0000-0000-0000-000000000000',
    username: 'bob',
    groups: ['developers'],
    scopes: ['aws.cognito.signin.user.admin'],
    issuer:
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_00000000000000000000000000000000',
    issuerName: 'cognito',
    clientId: '00000000000000000000000000',
    kind: 'person',
  },
  scopes: ['aws.cognito.signin.user.admin'],
  groups: ['developers'],
  allowed: Array.from({ length: 7 }, (_, i) => ({
    route: 'ANY /gerrit/a/{proxy+}',
    target: `target-${i}`,
    policy: 'anyOf(group:developers, group:admins, scope:gerrit:review)',
  })),
});

export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body,
});

export const bareBody = body;
