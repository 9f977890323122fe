/**
 * A complete environment for config/crossgate.json with made-up values: what `npm run config`
 * validates the committed compiled file against, and what unit tests run with.
 */
export const exampleEnv: Record<string, string> = {
  CROSSGATE_COGNITO_USER_POOL_ID: 'us-east-1_TestPool1',
  CROSSGATE_COGNITO_CLIENT_ID: 'test-client',
  CROSSGATE_OIDC_ISSUER: 'https://issuer.example.test',
  CROSSGATE_OIDC_JWKS_URI: 'https://issuer.example.test/jwks',
  CROSSGATE_BACKSTAGE_ISSUER: 'https://backstage.example.test/api/auth',
  CROSSGATE_BACKSTAGE_JWKS_URI: 'https://backstage.example.test/api/auth/.well-known/jwks.json',
  CROSSGATE_ECHO_URL: 'https://echo.example.test',
  CROSSGATE_LEDGER_URL: 'https://ledger.example.test',
  CROSSGATE_ISSUER_URL: 'https://gateway.example.test',
  CROSSGATE_GERRIT_URL: 'https://gerrit.example.test',
};
