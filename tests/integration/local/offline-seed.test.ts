import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { describe, expect, it } from 'vitest';
import { secretsManagerClient } from '../../../local/seed/moto-clients';
import { GERRIT_SECRET_ID } from '../../../local/seed/gerrit-secret';
import { backstageTokenFor } from '../../../local/tokens';
import { JwksFetcher } from '../../../shared/auth/jwks-fetcher';
import { testStack } from '../../helpers/stack';

/** What the running offline stack publishes for the Gerrit and Backstage stand-ins. */

describe('offline stack seed', () => {
  it('happy flow: the Gerrit service-account secret in moto opens the Gerrit stand-in', async () => {
    const stack = testStack();
    const moto = stack.moto;
    const gerrit = stack.gerrit as { url: string; secretId: string };
    expect(moto).toBeDefined();
    expect(gerrit.secretId).toBe(GERRIT_SECRET_ID);
    const client = secretsManagerClient(moto?.endpoint ?? '', moto?.region ?? '');
    try {
      const secret = await client.send(new GetSecretValueCommand({ SecretId: gerrit.secretId }));
      const { username, password } = JSON.parse(secret.SecretString ?? '{}') as Record<
        string,
        string
      >;
      const self = await fetch(`${gerrit.url}/a/accounts/self`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        },
      });
      expect(self.status).toBe(200);
      expect(await self.text()).toContain('"username":"crossgate-svc"');
    } finally {
      client.destroy();
    }
  });

  it('happy flow: a Backstage token from the stack verifies with aws-jwt-verify against the published issuer', async () => {
    const stack = testStack();
    const env = stack.lambdaEnv ?? {};
    const issuer = env.CROSSGATE_BACKSTAGE_ISSUER;
    const jwksUri = env.CROSSGATE_BACKSTAGE_JWKS_URI;
    expect(issuer).toBe(stack.backstage?.issuer);
    expect(jwksUri).toBe(`${issuer}/.well-known/jwks.json`);
    // The gateway's own JWKS fetcher (aws-jwt-verify's default speaks only https).
    const verifier = JwtVerifier.create(
      { issuer: issuer ?? '', audience: 'backstage', jwksUri },
      { jwksCache: new SimpleJwksCache({ fetcher: new JwksFetcher() }) },
    );
    const payload = await verifier.verify(await backstageTokenFor(stack, 'alice'));
    expect(payload).toMatchObject({
      sub: 'user:default/alice',
      ent: ['user:default/alice', 'group:default/release-managers'],
    });
    await expect(backstageTokenFor(stack, 'mallory')).rejects.toThrow(/unknown Backstage user/);
  });
});
