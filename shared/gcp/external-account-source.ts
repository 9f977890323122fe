import type { gaxios } from 'google-auth-library';
import { AwsClient } from './google-auth-clients';
import type { ExternalAccountCredential } from './credential-secret';
import { jwtExpiry, type TokenSource } from './token-source';
import type { MintedToken } from './token-cache';

export interface ExternalAccountSourceOptions {
  transporterOptions: gaxios.GaxiosOptions;
  /** google-auth-library's own refresh threshold; matches crossgate's margin. */
  eagerRefreshThresholdMillis: number;
  includeEmail: boolean;
  /** Lifetime asked of IAM Credentials for access tokens. */
  accessTokenLifetimeSeconds?: number;
}

const IMPERSONATION_URL = /^(.*)\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/;

/**
 * Workload Identity Federation (aws1) with service account impersonation.
 *
 * AwsClient signs GetCallerIdentity with the Lambda's role credentials and exchanges it at
 * `token_url` for a federated token (cached inside AwsClient); with that token as bearer, IAM
 * Credentials' `generateAccessToken` and `generateIdToken` mint the service account's tokens.
 * Those two documented REST calls are made here through AwsClient.request rather than through
 * google-auth-library's `Impersonated`, whose constructor prints a plain-text warning on every
 * cold start (it cannot be switched off from outside the library). The credential comes from
 * the gateway's own Secrets Manager secret, which is what that warning asks to be trusted.
 * GcpCredentials caches what this mints, per scope set and per audience.
 */
export class ExternalAccountSource implements TokenSource {
  private readonly aws: AwsClient;
  private readonly serviceAccountUrl: string;

  constructor(
    credential: ExternalAccountCredential,
    private readonly options: ExternalAccountSourceOptions,
  ) {
    const match = IMPERSONATION_URL.exec(credential.service_account_impersonation_url);
    if (!match?.[1] || !match[2]) throw new Error('unexpected service_account_impersonation_url');
    this.serviceAccountUrl = `${match[1]}/v1/projects/-/serviceAccounts/${match[2]}`;
    // Without the impersonation URL AwsClient stops at the federated token, the bearer that
    // IAM Credentials expects.
    const federation: Record<string, unknown> = { ...credential };
    delete federation.service_account_impersonation_url;
    this.aws = new AwsClient({
      ...federation,
      transporterOptions: options.transporterOptions,
      eagerRefreshThresholdMillis: options.eagerRefreshThresholdMillis,
    } as ConstructorParameters<typeof AwsClient>[0]);
  }

  async accessToken(scopes: readonly string[]): Promise<MintedToken> {
    const { data } = await this.aws.request<{ accessToken?: string; expireTime?: string }>({
      url: `${this.serviceAccountUrl}:generateAccessToken`,
      method: 'POST',
      data: { scope: [...scopes], lifetime: `${this.options.accessTokenLifetimeSeconds ?? 3600}s` },
    });
    const expiresAt = data.expireTime ? Date.parse(data.expireTime) : Number.NaN;
    if (!data.accessToken || Number.isNaN(expiresAt)) {
      throw new Error('IAM Credentials returned no access token');
    }
    return { token: data.accessToken, expiresAt };
  }

  forgetIdToken(): void {
    // Nothing is cached here: GcpCredentials holds the tokens and forgets them itself.
  }

  async idToken(audience: string): Promise<MintedToken> {
    const { data } = await this.aws.request<{ token?: string }>({
      url: `${this.serviceAccountUrl}:generateIdToken`,
      method: 'POST',
      data: { audience, includeEmail: this.options.includeEmail },
    });
    if (!data.token) throw new Error('IAM Credentials returned no ID token');
    return { token: data.token, expiresAt: jwtExpiry(data.token) };
  }
}
