import { describe, expect, it } from 'vitest';
import { gcpCredentialParser } from '../../../../shared/gcp/credential-secret';
import { redirectingFetch } from '../../../../shared/gcp/google-transport';
import { ConfigurationError } from '../../../../shared/errors';

const parse = gcpCredentialParser('crossgate/gcp');

describe('gcpCredentialParser', () => {
  it('happy flow: tells the three shapes apart by type', () => {
    expect(
      parse({
        type: 'external_account',
        audience:
          '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/aws',
        subject_token_type: 'urn:ietf:params:aws:token-type:aws4_request',
        token_url: 'https://sts.googleapis.com/v1/token',
        service_account_impersonation_url:
          'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateAccessToken',
        credential_source: {
          environment_id: 'aws1',
          regional_cred_verification_url:
            'https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15',
        },
        universe_domain: 'googleapis.com',
      }).type,
    ).toBe('external_account');
    expect(
      parse({
        type: 'service_account',
        client_email: 'sa@p.iam.gserviceaccount.com',
        private_key: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
      }).type,
    ).toBe('service_account');
    expect(
      parse({
        type: 'short_lived_tokens',
        id_tokens: [
          { token: 't', audience: 'https://x.a.run.app', expires_at: '2030-01-01T00:00:00Z' },
        ],
      }),
    ).toMatchObject({ type: 'short_lived_tokens', access_tokens: [] });
  });

  it('error flow: a bad secret names keys, never values', () => {
    const attempt = () =>
      parse({
        type: 'service_account',
        client_email: 'not-an-email',
        private_key: 'hunter2-secret',
      });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/client_email.*private_key/);
    expect(attempt).not.toThrow(/hunter2/);
    expect(() => parse({ type: 'authorized_user' })).toThrow(ConfigurationError);
  });
});

describe('redirectingFetch', () => {
  it("happy flow: only Google's fixed OAuth2 origin is redirected", async () => {
    const seen: string[] = [];
    const base = (async (input: Parameters<typeof fetch>[0]) => {
      seen.push(String(input));
      return new Response('{}');
    }) as typeof fetch;
    const redirected = redirectingFetch('http://127.0.0.1:4420', base);
    await redirected('https://oauth2.googleapis.com/token', { method: 'POST' });
    await redirected(new URL('https://sts.googleapis.com/v1/token'));
    await redirected('https://oauth2.googleapis.com.evil.example/token');
    expect(seen).toEqual([
      'http://127.0.0.1:4420/token',
      'https://sts.googleapis.com/v1/token',
      'https://oauth2.googleapis.com.evil.example/token',
    ]);
    expect(redirectingFetch(undefined, base)).toBe(base);
  });
});
