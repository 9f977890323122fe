import { startGoogleStandIn } from '../google/google-stand-in';
import { LOCAL_HOST } from '../ports';
import { externalAccountConfig, LOCAL_GCP } from '../seed/gcp-credentials';
import { putSecretJson, secretsManagerClient } from '../seed/moto-clients';
import { MOTO_CREDENTIALS } from './moto';
import type { LocalService } from './types';

/**
 * The Google stand-in (STS, IAM Credentials, OAuth2, JWKS), and the GCP credential secrets in
 * moto: Workload Identity Federation by default, a service-account key beside it.
 */
export const googleService: LocalService = {
  name: 'google',
  async start({ ports, state, lambdaEnv }) {
    if (!state.moto) throw new Error('google needs moto to be started first');
    const google = await startGoogleStandIn({
      host: LOCAL_HOST,
      port: ports.google,
      workloadIdentityAudience: LOCAL_GCP.workloadIdentityAudience,
      // What "AWS" confirms when Google's STS forwards the signed GetCallerIdentity.
      awsKeys: { [MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID]: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
      serviceAccounts: [{ email: LOCAL_GCP.serviceAccount, allowFederated: true }],
    });
    try {
      const secrets = secretsManagerClient(state.moto.endpoint, state.moto.region);
      await putSecretJson(
        secrets,
        LOCAL_GCP.externalAccountSecretId,
        externalAccountConfig(google.url),
      );
      const key = await google.createServiceAccountKey(LOCAL_GCP.serviceAccount);
      await putSecretJson(secrets, LOCAL_GCP.serviceAccountKeySecretId, key);
    } catch (error) {
      await google.close();
      throw error;
    }
    state.google = {
      url: google.url,
      adminUrl: `${google.url}/__admin`,
      certsUrl: `${google.url}/oauth2/v1/certs`,
      serviceAccount: LOCAL_GCP.serviceAccount,
      secretIds: {
        externalAccount: LOCAL_GCP.externalAccountSecretId,
        serviceAccountKey: LOCAL_GCP.serviceAccountKeySecretId,
      },
    };
    Object.assign(lambdaEnv, {
      // `CROSSGATE_GCP_SECRET_ID=crossgate/gcp-credentials-sa-key npm start` tries the key instead.
      CROSSGATE_GCP_SECRET_ID:
        process.env.CROSSGATE_GCP_SECRET_ID ?? LOCAL_GCP.externalAccountSecretId,
      CROSSGATE_GOOGLE_OAUTH2_URL: google.url,
    });
    return {
      summary: [`Google stand-in (STS, IAM, OAuth2) ${google.url}`],
      stop: google.close,
    };
  },
};
