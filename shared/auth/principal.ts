/** The verified caller, whatever issuer vouched for it. */
export interface Principal {
  subject: string;
  username?: string;
  email?: string;
  groups: string[];
  scopes: string[];
  /** The `iss` claim. */
  issuer: string;
  /** The config name of the trusted issuer that verified the token. */
  issuerName: string;
  clientId?: string;
  /** `machine` for client-credentials tokens (CI bots, agents), `person` otherwise. */
  kind: 'person' | 'machine';
}
