import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { oauthError } from './google-problems';
import type { GoogleState } from './google-state';
import { GOOGLE_TOKEN_AUDIENCE, type RegisteredKey } from './google-types';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * `POST /token` (OAuth2 JWT-bearer grant for service-account keys): the assertion's RS256
 * signature is verified against the registered key, `aud` must be Google's token URL.
 */
export async function jwtBearer(state: GoogleState, form: URLSearchParams) {
  await state.applyFaults('oauth2');
  if (form.get('grant_type') !== JWT_BEARER) {
    return state.refuse('oauth2', oauthError(400, 'unsupported_grant_type', 'Invalid grant_type.'));
  }
  const assertion = form.get('assertion') ?? '';
  let kid: string | undefined;
  let issuer: unknown;
  try {
    kid = decodeProtectedHeader(assertion).kid;
    issuer = decodeJwt(assertion).iss;
  } catch {
    return state.refuse('oauth2', oauthError(400, 'invalid_grant', 'Invalid JWT.'));
  }
  // Like Google: the kid picks the key when present, else every key of the issuing account.
  const candidates = [...state.keys.values()].filter(
    (candidate) => candidate.email === issuer && (kid === undefined || candidate.kid === kid),
  );
  let claims: Record<string, unknown> | undefined;
  let key: RegisteredKey | undefined;
  for (const candidate of candidates) {
    try {
      ({ payload: claims } = await jwtVerify(assertion, candidate.publicKey, {
        algorithms: ['RS256'],
        audience: GOOGLE_TOKEN_AUDIENCE,
        issuer: candidate.email,
        maxTokenAge: '1h',
        clockTolerance: 60,
      }));
      key = candidate;
      break;
    } catch {
      // Try the account's next key.
    }
  }
  if (!claims || !key) {
    return state.refuse('oauth2', oauthError(400, 'invalid_grant', 'Invalid JWT Signature.'));
  }
  if (
    typeof claims.exp !== 'number' ||
    typeof claims.iat !== 'number' ||
    claims.exp - claims.iat > 3600
  ) {
    return state.refuse(
      'oauth2',
      oauthError(
        400,
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes).',
      ),
    );
  }
  if (typeof claims.target_audience === 'string') {
    state.counters().jwtBearerIdToken += 1;
    return { id_token: await state.signIdToken(key.email, claims.target_audience, true) };
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  if (scopes.length === 0) {
    return state.refuse(
      'oauth2',
      oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.'),
    );
  }
  state.counters().jwtBearerAccessToken += 1;
  const { token } = state.issue('access', key.email, scopes);
  return { access_token: token, expires_in: state.lifetime(), token_type: 'Bearer' };
}

// ---------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------
