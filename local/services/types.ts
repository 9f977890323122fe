import type { Ports } from '../ports';

/** What the running stack publishes: for later services, `npm run token`, tests and humans. */
export interface StackState {
  ports: Ports;
  gatewayUrl?: string;
  moto?: { endpoint: string; region: string };
  cognito?: {
    userPoolId: string;
    clientId: string;
    jwksUri: string;
    /** Seeded people and their generated passwords (local only). */
    users: Record<string, { password: string; groups: string[] }>;
  };
  oidc?: {
    issuer: string;
    tokenEndpoint: string;
    jwksUri: string;
    audience: string;
    clients: Record<string, { clientSecret: string; scope: string; alg: string }>;
  };
  backstage?: BackstageState;
  /** The environment serverless offline gave the functions (URLs, pool ids; no real secrets). */
  lambdaEnv?: Record<string, string>;
  /** Extra facts other services publish (Google stand-in, Gerrit, Spanner, ...). */
  [service: string]: unknown;
}

/** What the Backstage stand-in publishes. */
export interface BackstageState {
  issuer: string;
  jwksUri: string;
  /** Loopback mint endpoint: POST `${usersUrl}/{name}/token`. */
  usersUrl: string;
  /** Seeded users and their group refs. */
  users: Record<string, string[]>;
}

export interface StackContext {
  ports: Ports;
  state: StackState;
  /** Environment of the Lambda functions under serverless offline; services add their URLs. */
  lambdaEnv: Record<string, string>;
  /** Echo child process output to stderr. */
  verbose: boolean;
}

export interface StartedService {
  /** Lines for the "where is everything" summary. */
  summary: string[];
  stop: () => Promise<void>;
}

/** One piece of the offline stack. Services start in registry order and stop in reverse. */
export interface LocalService {
  name: string;
  start: (context: StackContext) => Promise<StartedService>;
}
