import { AuthClient, gaxios } from 'google-auth-library';
import type { GcpCredentials } from './gcp-credentials';

/**
 * A google-auth-library AuthClient whose access tokens come from GcpCredentials, so Google
 * client libraries share crossgate's cache, single-flight minting and rotation handling.
 *
 * @example
 *   const spanner = new Spanner({
 *     projectId,
 *     authClient: new AccessTokenAuthClient(gcpCredentialsFor(config), [SPANNER_DATA_SCOPE]),
 *   });
 */
export class AccessTokenAuthClient extends AuthClient {
  constructor(
    private readonly gcpCredentials: Pick<GcpCredentials, 'accessToken'>,
    private readonly scopes: readonly string[],
  ) {
    super();
  }

  async getAccessToken(): Promise<{ token: string }> {
    return { token: await this.gcpCredentials.accessToken(this.scopes) };
  }

  async getRequestHeaders(): Promise<Headers> {
    const { token } = await this.getAccessToken();
    return new Headers({ authorization: `Bearer ${token}` });
  }

  async request<T>(options: gaxios.GaxiosOptions): Promise<gaxios.GaxiosResponse<T>> {
    const headers = gaxios.Gaxios.mergeHeaders(options.headers, await this.getRequestHeaders());
    return this.transporter.request<T>({ ...options, headers });
  }
}
