import { beforeAll, describe, expect, it } from 'vitest';
import { SPANNER_DATA_SCOPE, spannerAuthClient } from '../../../shared/spanner/handler';
import { withSection } from '../../helpers/config';
import { stackConfig, testStack } from '../../helpers/stack';

describe('Spanner credentials in AWS', () => {
  beforeAll(() => {
    // What Lambda gives a function: region and role credentials in the environment (moto's).
    const env = testStack().lambdaEnv ?? {};
    for (const name of [
      'AWS_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
    ]) {
      if (env[name]) process.env[name] = env[name];
    }
  });

  it('happy flow: the auth client carries a Spanner-scoped access token minted from the shared GCP secret', async () => {
    const google = testStack().google as { url: string; adminUrl: string };
    const before = (await (await fetch(`${google.adminUrl}/counters`)).json()) as {
      generateAccessToken: number;
    };

    const client = await spannerAuthClient(withSection(stackConfig(), 'spanner'));
    const headers = await client.getRequestHeaders();
    const authorization = headers.get('authorization') ?? '';
    expect(authorization).toMatch(/^Bearer ya29\./);

    const info = await fetch(
      `${google.url}/tokeninfo?access_token=${encodeURIComponent(authorization.slice(7))}`,
    );
    expect(info.status).toBe(200);
    expect(((await info.json()) as { scope: string }).scope.split(' ')).toEqual([
      SPANNER_DATA_SCOPE,
    ]);

    // A second client in the same container reuses the cached token: no new mint.
    await (await spannerAuthClient(withSection(stackConfig(), 'spanner'))).getRequestHeaders();
    const after = (await (await fetch(`${google.adminUrl}/counters`)).json()) as {
      generateAccessToken: number;
    };
    expect(after.generateAccessToken - before.generateAccessToken).toBe(1);
  });

  it('error flow: a forged access token is unknown to the token info endpoint', async () => {
    const google = testStack().google as { url: string };
    const info = await fetch(`${google.url}/tokeninfo?access_token=ya29.forged`);
    expect(info.status).toBe(400);
  });
});
