import { createPublicKey, verify } from 'node:crypto';
import { createMeHandler } from '../../shared/core/me';
import type { StackState } from '../../local/services/types';
import { tokenFor } from '../../local/tokens';
import { TokenVerifier } from '../../shared/auth/token-verifier';
import type { GatewayConfig } from '../../shared/modules/gateway-config';
import { httpApiEvent, lambdaContext } from '../../tests/helpers/lambda-event';
import { handler as bareHandler } from '../bare/handler';
import { discardingLogger } from '../discarding-logger';
import { median, percentile, round, timeEach } from '../stats';

export interface WarmOverheadResult {
  iterations: number;
  gatewayMedianUs: number;
  gatewayP99Us: number;
  bareMedianUs: number;
  bareP99Us: number;
  rs256MedianUs: number;
  rs256P99Us: number;
  ratioToBare: number;
  ratioToRs256: number;
  jwksFetches: number;
}

/**
 * Warm cost of the whole chain on GET /me in process (correlation, JWT verification with a
 * warm JWKS, policy, audit, errors), beside a bare handler and one RS256 signature check with
 * node:crypto on the same token. Runs interleave in rounds so that machine noise hits all three.
 */
export async function warmOverhead(
  state: StackState,
  config: GatewayConfig,
  iterations = 20_000,
  rounds = 5,
): Promise<WarmOverheadResult> {
  const token = await tokenFor(state, 'bob');
  const jwksFetches = { count: 0 };
  const verifier = TokenVerifier.create(config, {
    jwksObserver: { onFetch: () => (jwksFetches.count += 1) },
  });
  const me = createMeHandler({ dependencies: { config, verifier, logger: discardingLogger() } });
  const event = httpApiEvent('GET /me', { headers: { authorization: `Bearer ${token}` } });
  const context = lambdaContext(900_000);

  const [header, payload, signature] = token.split('.') as [string, string, string];
  const jwks = (await (await fetch(state.cognito!.jwksUri)).json()) as {
    keys: Record<string, string>[];
  };
  const publicKey = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' });
  const signingInput = Buffer.from(`${header}.${payload}`);
  const signatureBytes = Buffer.from(signature, 'base64url');
  const rs256 = () => {
    if (!verify('RSA-SHA256', signingInput, publicKey, signatureBytes))
      throw new Error('bad signature');
  };

  const first = await me(event, context);
  if (first.statusCode !== 200) throw new Error(`/me answered ${first.statusCode}: ${first.body}`);
  await timeEach(2000, () => me(event, context));
  await timeEach(2000, bareHandler);
  await timeEach(2000, rs256);

  const gateway: number[] = [];
  const bare: number[] = [];
  const crypto: number[] = [];
  const perRound = Math.ceil(iterations / rounds);
  for (let round = 0; round < rounds; round += 1) {
    gateway.push(...(await timeEach(perRound, () => me(event, context))));
    bare.push(...(await timeEach(perRound, bareHandler)));
    crypto.push(...(await timeEach(perRound, rs256)));
  }

  return {
    iterations: gateway.length,
    gatewayMedianUs: round(median(gateway)),
    gatewayP99Us: round(percentile(gateway, 99)),
    bareMedianUs: round(median(bare), 2),
    bareP99Us: round(percentile(bare, 99), 2),
    rs256MedianUs: round(median(crypto)),
    rs256P99Us: round(percentile(crypto, 99)),
    ratioToBare: round(median(gateway) / median(bare), 0),
    ratioToRs256: round(median(gateway) / median(crypto), 2),
    jwksFetches: jwksFetches.count,
  };
}
