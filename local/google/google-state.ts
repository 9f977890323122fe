import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { DroppedConnection, googleError, HttpProblem, oauthError } from './google-problems';
import {
  GOOGLE_ISSUER,
  type FaultSettings,
  type GoogleStandInOptions,
  type IssuedToken,
  type MintCounters,
  type RegisteredKey,
} from './google-types';

/**
 * What the Google stand-in holds for one run (its signing key, service accounts and their
 * keys, issued tokens, counters and fault settings) and the operations every endpoint shares.
 * Endpoints (sts.ts, iam-credentials.ts, oauth2.ts) take it as their first argument.
 */
export type GoogleState = Awaited<ReturnType<typeof createGoogleState>>;

export async function createGoogleState(options: GoogleStandInOptions) {
  const signing = await generateKeyPair('RS256', { extractable: true });
  const signingKid = randomBytes(20).toString('hex');
  const signingJwk: JWK = {
    ...(await exportJWK(signing.publicKey)),
    kid: signingKid,
    alg: 'RS256',
    use: 'sig',
  };
  const signingPem = await exportSPKI(signing.publicKey);

  const accounts = new Map(
    options.serviceAccounts.map((account) => [
      account.email,
      {
        ...account,
        uniqueId: String(100000000000000000000n + BigInt(randomBytes(6).readUIntBE(0, 6))),
      },
    ]),
  );
  const keys = new Map<string, RegisteredKey>();
  const tokens = new Map<string, IssuedToken>();
  const emptyCounters = (): MintCounters => ({
    sts: 0,
    generateAccessToken: 0,
    generateIdToken: 0,
    jwtBearerAccessToken: 0,
    jwtBearerIdToken: 0,
    idTokensByAudience: {},
    refused: {},
    certsServed: 0,
  });
  let counters = emptyCounters();
  const defaultFaults: FaultSettings = { mode: 'normal', delayMs: 0, tokenLifetimeSeconds: 3600 };
  let faults: FaultSettings = { ...defaultFaults };
  /** Requests held by the `slow` fault; cut when faults change, so none lands later. */
  const slowRequests = new Set<AbortController>();
  const changeFaults = (settings: Partial<FaultSettings>) => {
    faults = { ...faults, ...settings };
    for (const controller of slowRequests) controller.abort();
  };
  const lifetime = () => faults.tokenLifetimeSeconds;

  const issue = (kind: IssuedToken['kind'], subject: string, scopes: string[]) => {
    const token = `ya29.${kind === 'federated' ? 'fed' : 'sa'}-${randomBytes(24).toString('base64url')}`;
    const expiresAt = Date.now() + lifetime() * 1000;
    tokens.set(token, { kind, subject, scopes, expiresAt });
    return { token, expiresAt };
  };

  const signIdToken = async (email: string, audience: string, includeEmail: boolean) => {
    const account = accounts.get(email);
    if (!account) throw googleError(404, 'NOT_FOUND', `service account ${email} not found`);
    counters.idTokensByAudience[audience] = (counters.idTokensByAudience[audience] ?? 0) + 1;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      azp: includeEmail ? email : account.uniqueId,
      ...(includeEmail ? { email, email_verified: true } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: signingKid, typ: 'JWT' })
      .setIssuer(GOOGLE_ISSUER)
      .setAudience(audience)
      .setSubject(account.uniqueId)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime())
      .sign(signing.privateKey);
  };

  /** A live access token this stand-in issued, or undefined. */
  const liveAccessToken = (accessToken: string) => {
    const issued = tokens.get(accessToken);
    return issued && issued.kind === 'access' && issued.expiresAt > Date.now() ? issued : undefined;
  };

  /** Google's tokeninfo: what an access token is good for, so tests can see its scopes. */
  const tokenInfo = (accessToken: string) => {
    const issued = liveAccessToken(accessToken);
    if (!issued) {
      throw new HttpProblem(400, { error: 'invalid_token', error_description: 'Invalid Value' });
    }
    return {
      email: issued.subject,
      scope: issued.scopes.join(' '),
      exp: String(Math.floor(issued.expiresAt / 1000)),
      expires_in: String(Math.floor((issued.expiresAt - Date.now()) / 1000)),
    };
  };

  /** Fault switches apply to every minting endpoint. */
  const applyFaults = async (endpoint: string) => {
    if (faults.mode === 'slow') {
      const controller = new AbortController();
      slowRequests.add(controller);
      try {
        await sleep(faults.delayMs, undefined, { signal: controller.signal });
      } catch {
        throw new DroppedConnection();
      } finally {
        slowRequests.delete(controller);
      }
    }
    if (faults.mode === 'unavailable') {
      throw googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.');
    }
    if (faults.mode === 'reject') {
      counters.refused[endpoint] = (counters.refused[endpoint] ?? 0) + 1;
      throw endpoint === 'oauth2'
        ? oauthError(400, 'invalid_grant', 'Invalid JWT Signature.')
        : googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    }
  };

  const refuse = (endpoint: string, problem: HttpProblem): never => {
    counters.refused[endpoint] = (counters.refused[endpoint] ?? 0) + 1;
    throw problem;
  };

  return {
    options,
    signingKid,
    signingJwk,
    signingPem,
    accounts,
    keys,
    tokens,
    counters: () => counters,
    resetCounters: () => {
      counters = emptyCounters();
    },
    faults: () => faults,
    defaultFaults,
    changeFaults,
    lifetime,
    issue,
    signIdToken,
    liveAccessToken,
    tokenInfo,
    applyFaults,
    refuse,
  };
}
