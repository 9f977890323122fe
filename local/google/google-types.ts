import type { Server } from 'node:http';
import type { CryptoKey } from 'jose';

/** Google stand-in: its options, settings, counters and the shapes it hands out. */

export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
export const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

export interface GoogleStandInOptions {
  host: string;
  port: number;
  /** `//iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/Q` */
  workloadIdentityAudience: string;
  /** AWS keys whose signatures "AWS" confirms (what moto accepts offline). */
  awsKeys: Record<string, string>;
  /** Service accounts that exist, and whether federated identities may impersonate them. */
  serviceAccounts: { email: string; allowFederated: boolean }[];
}

export interface FaultSettings {
  /**
   * normal; unavailable: token endpoints answer 503; slow: they wait `delayMs` first;
   * reject: they refuse every credential (401 / invalid_grant).
   */
  mode: 'normal' | 'unavailable' | 'slow' | 'reject';
  delayMs: number;
  /** Lifetime of minted ID and access tokens (Google: 3600). */
  tokenLifetimeSeconds: number;
}

export interface MintCounters {
  sts: number;
  generateAccessToken: number;
  generateIdToken: number;
  jwtBearerAccessToken: number;
  jwtBearerIdToken: number;
  /** ID tokens minted, per audience. */
  idTokensByAudience: Record<string, number>;
  /** Requests refused, per endpoint. */
  refused: Record<string, number>;
  /** Answers from /oauth2/v1/certs and /oauth2/v3/certs: how often verifiers refetch the keys. */
  certsServed: number;
}

export interface ServiceAccountKey {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

export interface IssuedToken {
  kind: 'federated' | 'access';
  subject: string;
  scopes: string[];
  expiresAt: number;
}

export interface RegisteredKey {
  kid: string;
  email: string;
  publicKey: CryptoKey;
}

export interface GoogleStandIn {
  url: string;
  server: Server;
  counters: () => MintCounters;
  faults: () => FaultSettings;
  setFaults: (settings: Partial<FaultSettings>) => void;
  /** Creates a new key for a service account (what `gcloud iam service-accounts keys create` does). */
  createServiceAccountKey: (email: string) => Promise<ServiceAccountKey>;
  /** Deletes a key: assertions it signs are refused from now on. */
  deleteServiceAccountKey: (kid: string) => void;
  /** Whether an access token was issued here and is still valid, with its scopes. */
  introspect: (accessToken: string) => { subject: string; scopes: string[] } | undefined;
  close: () => Promise<void>;
}
