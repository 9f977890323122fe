import { createPublicKey, verify } from 'node:crypto';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { createMeHandler } from '../../shared/core/me';
import type { StackState } from '../../local/services/types';
import { tokenFor } from '../../local/tokens';
import { TokenVerifier } from '../../shared/auth/token-verifier';
import type { GatewayConfig } from '../../shared/modules/gateway-config';
import { httpApiEvent, lambdaContext } from '../../tests/helpers/lambda-event';
import { handler as bareHandler } from '../bare/handler';
import { discardingLogger, discardingStockLogger } from '../discarding-logger';
import { createPeerHandler } from '../peer-chain';
import { median, percentile, round, timeEach } from '../stats';

export interface WarmOverheadResult {
  iterations: number;
  /** Distinct pre-minted tokens behind each fresh-token figure (one per request). */
  freshTokens: number;
  /** Other distinct tokens each chain verified once before the measured rounds. */
  freshWarmUpTokens: number;
  gatewayMedianUs: number;
  gatewayP99Us: number;
  gatewayFreshMedianUs: number;
  gatewayFreshP99Us: number;
  peerMedianUs: number;
  peerP99Us: number;
  peerFreshMedianUs: number;
  peerFreshP99Us: number;
  bareMedianUs: number;
  bareP99Us: number;
  rs256MedianUs: number;
  rs256P99Us: number;
  ratioToBare: number;
  ratioToRs256: number;
  /** Same token (the gateway's cache hit) against the peer on the same token. */
  ratioToPeer: number;
  /** A new token on every request, gateway against peer. */
  freshRatioToPeer: number;
  jwksFetches: number;
}

/** Distinct access tokens for `name`, minted up front (moto issues a new token per login). */
async function distinctTokens(state: StackState, name: string, count: number): Promise<string[]> {
  const tokens = new Set<string>();
  // Bounded: at most twice the wanted logins, eight at a time.
  for (let attempt = 0; tokens.size < count && attempt < count * 2; attempt += 8) {
    const batch = await Promise.all(Array.from({ length: 8 }, () => tokenFor(state, name)));
    for (const token of batch) tokens.add(token);
  }
  return [...tokens].slice(0, count);
}

/**
 * Warm cost of the whole chain on GET /me in process (correlation, JWT verification with a
 * warm JWKS, policy, audit, errors), beside the peer chain (bench/peer-chain.ts), a bare
 * handler, and one RS256 signature check with node:crypto on the same token. Two token cases:
 * the same token on every request (the gateway's verified-token cache hits), and a fresh
 * pre-minted token on every request (each used once by each chain). Runs interleave in rounds
 * so that machine noise hits all subjects alike.
 */
export async function warmOverhead(
  state: StackState,
  config: GatewayConfig,
  iterations = 20_000,
  rounds = 5,
  freshPerRound = 200,
  freshWarmUp = 2000,
): Promise<WarmOverheadResult> {
  const token = await tokenFor(state, 'bob');
  const wanted = freshPerRound * rounds + freshWarmUp;
  const minted = await distinctTokens(state, 'bob', wanted);
  if (minted.length < wanted) {
    throw new Error(`only ${minted.length} distinct tokens minted, wanted ${wanted}`);
  }
  const warmUpTokens = minted.slice(0, freshWarmUp);
  const fresh = minted.slice(freshWarmUp);
  const jwksFetches = { count: 0 };
  const verifier = TokenVerifier.create(config, {
    jwksObserver: { onFetch: () => (jwksFetches.count += 1) },
  });
  const me = createMeHandler({ dependencies: { config, verifier, logger: discardingLogger() } });
  const event = httpApiEvent('GET /me', { headers: { authorization: `Bearer ${token}` } });
  const eventFor = (bearer: string) =>
    httpApiEvent('GET /me', { headers: { authorization: `Bearer ${bearer}` } });
  const deliveredEvent = (bearer: string) =>
    JSON.parse(JSON.stringify(eventFor(bearer))) as ReturnType<typeof eventFor>;
  const context = lambdaContext(900_000);

  const [header, payload, signature] = token.split('.') as [string, string, string];
  const jwks = (await (await fetch(state.cognito!.jwksUri)).json()) as Jwks;
  const issuer = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss: string }).iss;
  const peer = createPeerHandler({
    issuer,
    jwksUri: state.cognito!.jwksUri,
    jwks,
    logger: discardingStockLogger(),
  });
  const publicKey = createPublicKey({ key: { ...jwks.keys[0]! }, format: 'jwk' });
  const signingInput = Buffer.from(`${header}.${payload}`);
  const signatureBytes = Buffer.from(signature, 'base64url');
  const rs256 = () => {
    if (!verify('RSA-SHA256', signingInput, publicKey, signatureBytes))
      throw new Error('bad signature');
  };

  // Every subject must answer 200 before it is timed: a chain that fails fast is not cheap.
  for (const [name, answer] of [
    ['gateway', await me(event, context)],
    ['peer', await peer(event, context)],
    ['gateway, fresh token', await me(eventFor(fresh[0]!), context)],
    ['peer, fresh token', await peer(eventFor(fresh[0]!), context)],
  ] as const) {
    const status = typeof answer === 'object' ? answer.statusCode : undefined;
    if (status !== 200) throw new Error(`${name} answered ${status}: ${JSON.stringify(answer)}`);
  }
  await timeEach(2000, () => me(event, context));
  await timeEach(2000, () => peer(event, context));
  await timeEach(2000, bareHandler);
  await timeEach(2000, rs256);
  // The fresh-token path warmed too, with tokens never measured, each chain once over each.
  // The peer's path is the same for a new token and a known one, so the same-token calls warm
  // it; the gateway's new-token path (decode, signature check, principal) runs only for new
  // tokens, and without this it was measured at its first 200-1,000 calls, still warming:
  // 0.92-0.94x the peer, against 0.84-0.86x after 2,000 (2026-12-02 about 15:40, paired runs).
  for (const chain of [me, peer]) {
    const events = warmUpTokens.map(deliveredEvent);
    let next = 0;
    await timeEach(events.length, () => chain(events[next++]!, context));
  }

  const gateway: number[] = [];
  const gatewayFresh: number[] = [];
  const peerSame: number[] = [];
  const peerFresh: number[] = [];
  const bare: number[] = [];
  const crypto: number[] = [];
  const perRound = Math.ceil(iterations / rounds);
  for (let r = 0; r < rounds; r += 1) {
    // Events built before timing; each fresh token is seen once by each chain.
    // Each chain gets its own events, parsed from JSON as the Lambda runtime delivers them:
    // a shared event would hand the second chain strings the first one already flattened.
    const tokens = fresh.slice(r * freshPerRound, (r + 1) * freshPerRound);
    const gatewayEvents = tokens.map(deliveredEvent);
    const peerEvents = tokens.map(deliveredEvent);
    gateway.push(...(await timeEach(perRound, () => me(event, context))));
    peerSame.push(...(await timeEach(perRound, () => peer(event, context))));
    const gatewayFreshRound = async () => {
      let next = 0;
      gatewayFresh.push(
        ...(await timeEach(freshPerRound, () => me(gatewayEvents[next++]!, context))),
      );
    };
    const peerFreshRound = async () => {
      let next = 0;
      peerFresh.push(...(await timeEach(freshPerRound, () => peer(peerEvents[next++]!, context))));
    };
    // Which chain sees a round's tokens first alternates.
    for (const run of r % 2 === 0
      ? [gatewayFreshRound, peerFreshRound]
      : [peerFreshRound, gatewayFreshRound]) {
      await run();
    }
    bare.push(...(await timeEach(perRound, bareHandler)));
    crypto.push(...(await timeEach(perRound, rs256)));
  }

  return {
    iterations: gateway.length,
    freshTokens: gatewayFresh.length,
    freshWarmUpTokens: warmUpTokens.length,
    gatewayMedianUs: round(median(gateway)),
    gatewayP99Us: round(percentile(gateway, 99)),
    gatewayFreshMedianUs: round(median(gatewayFresh)),
    gatewayFreshP99Us: round(percentile(gatewayFresh, 99)),
    peerMedianUs: round(median(peerSame)),
    peerP99Us: round(percentile(peerSame, 99)),
    peerFreshMedianUs: round(median(peerFresh)),
    peerFreshP99Us: round(percentile(peerFresh, 99)),
    bareMedianUs: round(median(bare), 2),
    bareP99Us: round(percentile(bare, 99), 2),
    rs256MedianUs: round(median(crypto)),
    rs256P99Us: round(percentile(crypto, 99)),
    ratioToBare: round(median(gateway) / median(bare), 0),
    ratioToRs256: round(median(gateway) / median(crypto), 2),
    ratioToPeer: round(median(gateway) / median(peerSame), 2),
    freshRatioToPeer: round(median(gatewayFresh) / median(peerFresh), 2),
    jwksFetches: jwksFetches.count,
  };
}
