/** DESIGN.md's offline seed: machine clients of the local OIDC provider (client_credentials). */
export const seededMachineClients = {
  'ci-bot': { scope: 'run:echo gerrit:read gerrit:review', alg: 'RS256' },
  /** An AI agent that reads; signs with ES256 so that both algorithms are exercised. */
  'ops-agent': { scope: 'spanner:read gerrit:read', alg: 'ES256' },
} as const;

export type MachineClientName = keyof typeof seededMachineClients;

/** The audience crossgate expects in machine tokens (the resource indicator). */
export const CROSSGATE_AUDIENCE = 'urn:crossgate:api';

/** A second API the provider issues tokens for; crossgate must refuse them (wrong audience). */
export const OTHER_AUDIENCE = 'urn:other:api';
