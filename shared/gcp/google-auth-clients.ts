/**
 * The google-auth-library clients the gateway mints tokens with, imported from their own
 * modules. The package is CommonJS, so a bundler cannot drop what its index requires: through
 * the index, every bundle that mints a token carried every client (GoogleAuth, Compute,
 * IdentityPool, Pluggable, Downscoped, ... and bignumber.js), 145 KB of run's 846 KB; these
 * modules are 81 KB (issue 16, run's cold start). The package has no `exports` map, so Node
 * serves these paths as it serves the index; package-lock.json pins the version, and the
 * type check fails if a path moves.
 */
export { AwsClient } from 'google-auth-library/build/src/auth/awsclient.js';
export { IdTokenClient } from 'google-auth-library/build/src/auth/idtokenclient.js';
export { JWT } from 'google-auth-library/build/src/auth/jwtclient.js';
