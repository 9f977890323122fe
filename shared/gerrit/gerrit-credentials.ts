import * as z from 'zod';
import { ConfigurationError } from '../errors';

/**
 * The Gerrit credentials secret: the service account's username and its HTTP password
 * (Gerrit's "HTTP Credentials", not an LDAP or SSO password).
 *
 * @example
 *   { "username": "crossgate-svc", "password": "generated-http-password" }
 */
const gerritCredentialsSchema = z.object({
  username: z.string().min(1),
  password: z.string().min(1),
});

export type GerritCredentials = z.infer<typeof gerritCredentialsSchema>;

/** Parser for SecretCache.getJson; names the bad keys, never the values. */
export function parseGerritCredentials(raw: unknown): GerritCredentials {
  const result = gerritCredentialsSchema.safeParse(raw);
  if (!result.success) {
    const keys = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
    throw new ConfigurationError(
      `the Gerrit credentials secret must be {"username","password"}; bad keys: ${keys.join(', ')}`,
    );
  }
  return result.data;
}

export function basicAuthorization(credentials: GerritCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
