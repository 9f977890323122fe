import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's config document, as the functions bundle it. */
export function configDocument(): Record<string, unknown> {
  const file = fileURLToPath(new URL('../../config/crossgate.json', import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** A complete environment for config/crossgate.json with made-up URLs (for unit tests). */
export const unitTestEnv: Record<string, string> = {
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

/** The whole config narrowed to one module's function: the core and that section, which must exist. */
export function withSection<Config extends object, Key extends keyof Config & string>(
  config: Config,
  key: Key,
): Config & Record<Key, NonNullable<Config[Key]>> {
  const section = config[key];
  if (section === undefined || section === null)
    throw new Error(`the config has no ${key} section`);
  return { ...config, [key]: section } as Config & Record<Key, NonNullable<Config[Key]>>;
}
