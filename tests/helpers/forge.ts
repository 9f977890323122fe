import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT, type JWK } from 'jose';
import type { StackState } from '../../local/services/types';

/**
 * moto signs every Cognito pool's tokens with one RSA key that it ships. Tests sign with that
 * same key to make tokens a real pool would never issue (expired, wrong client, ...), so that
 * each rejection is tested against the real JWKS and nothing but the one claim differs.
 */
const EXPORT_MOTO_KEY = `
import gzip, json, os, moto
from joserfc import jwk
path = os.path.join(os.path.dirname(moto.__file__), "cognitoidp/resources/jwks-private.json.gz")
key = json.load(gzip.open(path))
print(json.dumps({"pem": jwk.RSAKey.import_key(key).as_pem(private=True).decode(), "n": key["n"], "e": key["e"]}))
`;

interface MotoKey {
  pem: string;
  n: string;
  e: string;
}

let cachedKey: MotoKey | undefined;

/**
 * moto ships its JWK without the CRT parameters WebCrypto needs; the library moto itself
 * signs with (joserfc) turns it into a PEM.
 */
function motoKey(): MotoKey {
  cachedKey ??= JSON.parse(execFileSync('python3', ['-c', EXPORT_MOTO_KEY]).toString()) as MotoKey;
  return cachedKey;
}

/** The public half of moto's signing key, as a JWK. */
export function motoJwk(): JWK {
  const { n, e } = motoKey();
  return { kty: 'RSA', n, e };
}

export function cognitoIssuer(state: StackState): string {
  return `https://cognito-idp.us-east-1.amazonaws.com/${state.cognito?.userPoolId}`;
}

/** A Cognito-shaped access token for bob, signed with moto's key, with overrides. */
export async function forgeCognitoToken(
  state: StackState,
  overrides: { payload?: Record<string, unknown>; header?: Record<string, unknown> } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: 'forged-bob',
    iss: cognitoIssuer(state),
    client_id: state.cognito?.clientId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    username: 'bob',
    'cognito:groups': ['developers'],
    iat: now,
    exp: now + 600,
    jti: randomUUID(),
    ...overrides.payload,
  };
  const key = await importPKCS8(motoKey().pem, 'RS256');
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: 'dummy', typ: 'JWT', ...overrides.header } as {
      alg: string;
    })
    .sign(key);
}

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  );
}

/** `alg: none`: header and payload, no signature. */
export function unsignedToken(payload: Record<string, unknown>): string {
  return `${base64url({ alg: 'none', typ: 'JWT', kid: 'dummy' })}.${base64url(payload)}.`;
}

/** The classic confusion attack: HS256 keyed with the issuer's public RSA key. */
export function hmacWithPublicKey(
  payload: Record<string, unknown>,
  publicKeyMaterial: string,
): string {
  const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', kid: 'dummy' })}.${base64url(payload)}`;
  const signature = createHmac('sha256', publicKeyMaterial)
    .update(signingInput)
    .digest('base64url');
  return `${signingInput}.${signature}`;
}

/** Replaces the payload of a signed token, keeping its header and signature. */
export function tamperPayload(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
  return `${header}.${base64url({ ...claims, ...changes })}.${signature}`;
}
