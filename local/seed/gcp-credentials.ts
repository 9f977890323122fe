/** The offline Google identities (see local/google/google-stand-in.ts). */
export const LOCAL_GCP = {
  projectNumber: '123456789012',
  serviceAccount: 'crossgate-gateway@crossgate-local.iam.gserviceaccount.com',
  workloadIdentityAudience:
    '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/crossgate/providers/aws',
  /** The secret the gateway reads by default: Workload Identity Federation, nothing secret. */
  externalAccountSecretId: 'crossgate/gcp-credentials',
  /** The same service account as a key, to try the other shape (CROSSGATE_GCP_SECRET_ID). */
  serviceAccountKeySecretId: 'crossgate/gcp-credentials-sa-key',
} as const;

/** An external_account (aws1) credential config, as `gcloud iam workload-identity-pools create-cred-config` writes it. */
export function externalAccountConfig(googleUrl: string) {
  return {
    type: 'external_account',
    audience: LOCAL_GCP.workloadIdentityAudience,
    subject_token_type: 'urn:ietf:params:aws:token-type:aws4_request',
    service_account_impersonation_url: `${googleUrl}/v1/projects/-/serviceAccounts/${LOCAL_GCP.serviceAccount}:generateAccessToken`,
    token_url: `${googleUrl}/v1/token`,
    credential_source: {
      environment_id: 'aws1',
      regional_cred_verification_url:
        'https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15',
    },
  };
}
