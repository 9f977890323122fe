import { AwsClient, IdTokenClient, Impersonated, type gaxios } from 'google-auth-library';
import type { ExternalAccountCredential } from './credential-secret';
import { accessTokenOf, idTokenOf, type TokenSource } from './token-source';
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
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * Workload Identity Federation (aws1) with service account impersonation.
 *
 * `getIdTokenClient` refuses external accounts, so this is the composition that works:
 * AwsClient (signs GetCallerIdentity with the Lambda's role credentials and exchanges it at
 * `token_url` for a federated token) as the source of Impersonated (IAM Credentials
 * generateAccessToken / generateIdToken with the federated token as bearer), and
 * IdTokenClient per audience on top. The federated token is cached inside AwsClient.
 */
export class ExternalAccountSource implements TokenSource {
  private readonly aws: AwsClient;
  private readonly endpoint: string;
  private readonly serviceAccount: string;
  private readonly impersonatedByScopes = new Map<string, Impersonated>();
  private readonly idTokenClients = new Map<string, IdTokenClient>();

  constructor(
    credential: ExternalAccountCredential,
    private readonly options: ExternalAccountSourceOptions,
  ) {
    const match = IMPERSONATION_URL.exec(credential.service_account_impersonation_url);
    if (!match?.[1] || !match[2]) throw new Error('unexpected service_account_impersonation_url');
    this.endpoint = match[1];
    this.serviceAccount = decodeURIComponent(match[2]);
    // Without the impersonation URL AwsClient stops at the federated token, which is what
    // Impersonated needs as its source.
    const federation: Record<string, unknown> = { ...credential };
    delete federation.service_account_impersonation_url;
    this.aws = new AwsClient({
      ...federation,
      transporterOptions: options.transporterOptions,
      eagerRefreshThresholdMillis: options.eagerRefreshThresholdMillis,
    } as ConstructorParameters<typeof AwsClient>[0]);
  }

  async accessToken(scopes: readonly string[]): Promise<MintedToken> {
    return accessTokenOf(this.impersonated(scopes), 'IAM Credentials');
  }

  forgetIdToken(audience: string): void {
    this.idTokenClients.delete(audience);
  }

  async idToken(audience: string): Promise<MintedToken> {
    let client = this.idTokenClients.get(audience);
    if (!client) {
      const impersonated = this.impersonated([CLOUD_PLATFORM]);
      client = new IdTokenClient({
        targetAudience: audience,
        idTokenProvider: {
          fetchIdToken: (target) =>
            impersonated.fetchIdToken(target, { includeEmail: this.options.includeEmail }),
        },
        transporterOptions: this.options.transporterOptions,
        eagerRefreshThresholdMillis: this.options.eagerRefreshThresholdMillis,
      });
      this.idTokenClients.set(audience, client);
    }
    return idTokenOf(client, 'IAM Credentials');
  }

  private impersonated(scopes: readonly string[]): Impersonated {
    const key = [...scopes].sort().join(' ');
    let client = this.impersonatedByScopes.get(key);
    if (!client) {
      client = new Impersonated({
        sourceClient: this.aws,
        targetPrincipal: this.serviceAccount,
        targetScopes: [...scopes],
        lifetime: this.options.accessTokenLifetimeSeconds ?? 3600,
        endpoint: this.endpoint,
        transporterOptions: this.options.transporterOptions,
        eagerRefreshThresholdMillis: this.options.eagerRefreshThresholdMillis,
      });
      this.impersonatedByScopes.set(key, client);
    }
    return client;
  }
}
