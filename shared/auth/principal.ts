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
  kind: PrincipalKind;
}

/**
 * Who is calling: a `person`; a `machine` (client-credentials tokens: CI bots, services); or an
 * `agent` (an AI agent, named per issuer in config), which gets scrubbed answers.
 */
export type PrincipalKind = 'person' | 'machine' | 'agent';
