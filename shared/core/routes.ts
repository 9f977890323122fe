/** Route keys of the core module: the routes that reach no backend. */
export const HEALTH_ROUTE = 'GET /health';
export const ME_ROUTE = 'GET /me';
export const JWKS_ROUTE = 'GET /.well-known/jwks.json';

/** The core's functions and the routes each serves (serverless.yml must agree; a test checks). */
export const coreFunctions = {
  health: [HEALTH_ROUTE],
  me: [ME_ROUTE],
  jwks: [JWKS_ROUTE],
  // API Gateway's Lambda REQUEST authorizer: no route of its own.
  authorizer: [],
} as const satisfies Record<string, readonly string[]>;
