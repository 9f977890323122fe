import type { IncomingMessage } from 'node:http';
import { googleError } from './google-problems';
import type { GoogleState } from './google-state';

/**
 * `POST /v1/projects/-/serviceAccounts/{sa}:generateAccessToken|generateIdToken` (IAM
 * Credentials): the federated token is required as bearer, and the account must allow it.
 */
export async function iamCredentials(
  state: GoogleState,
  request: IncomingMessage,
  email: string,
  method: 'generateAccessToken' | 'generateIdToken',
  body: Record<string, unknown>,
) {
  await state.applyFaults(method);
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  const caller = bearer ? state.tokens.get(bearer) : undefined;
  if (!caller || caller.expiresAt <= Date.now()) {
    return state.refuse(
      method,
      googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'),
    );
  }
  const account = state.accounts.get(email);
  if (!account)
    return state.refuse(
      method,
      googleError(404, 'NOT_FOUND', `Service account ${email} not found.`),
    );
  if (caller.kind !== 'federated' || !account.allowFederated) {
    return state.refuse(
      method,
      googleError(
        403,
        'PERMISSION_DENIED',
        "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
      ),
    );
  }
  if (method === 'generateAccessToken') {
    const scope = body.scope;
    if (!Array.isArray(scope) || scope.length === 0 || !scope.every((s) => typeof s === 'string')) {
      return state.refuse(method, googleError(400, 'INVALID_ARGUMENT', 'Scope required.'));
    }
    const requested = /^(\d+)s$/.exec(String(body.lifetime ?? '3600s'));
    if (!requested || Number(requested[1]) > 3600) {
      return state.refuse(
        method,
        googleError(400, 'INVALID_ARGUMENT', 'lifetime must be at most 3600s.'),
      );
    }
    state.counters().generateAccessToken += 1;
    const { token, expiresAt } = state.issue('access', email, scope as string[]);
    return { accessToken: token, expireTime: new Date(expiresAt).toISOString() };
  }
  if (typeof body.audience !== 'string' || body.audience === '') {
    return state.refuse(method, googleError(400, 'INVALID_ARGUMENT', 'audience is required.'));
  }
  state.counters().generateIdToken += 1;
  return { token: await state.signIdToken(email, body.audience, body.includeEmail === true) };
}
