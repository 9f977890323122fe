import { AssertionSigner } from '../../shared/assertion/assertion-signer';
import { initKeySet } from '../../shared/assertion/key-rotation';
import { parseAssertionKeySet } from '../../shared/assertion/key-set';
import { median, percentile, round, timeEach } from '../stats';
import { bobPrincipal as principal } from '../../tests/helpers/seed-principals';

export interface AssertionSigningResult {
  iterations: number;
  /** Signatures made for `iterations` requests of one returning caller: the target is 1. */
  returningCallerSignatures: number;
  reuseMedianUs: number;
  reuseP99Us: number;
  /** One fresh ES256 assertion (a new caller or audience each time). */
  signMedianUs: number;
  signP99Us: number;
}

/**
 * The caller assertion in process: what a warm request of a returning caller costs (a cache
 * hit, no signature) beside what a fresh ES256 signature costs. The key set comes as from a
 * warm SecretCache (parsed once per secret version).
 */
export async function assertionSigning(iterations = 20_000): Promise<AssertionSigningResult> {
  const keySet = parseAssertionKeySet(await initKeySet());
  const audience = 'https://echo-abc123-uc.a.run.app';
  let returningSignatures = 0;
  const returning = new AssertionSigner({
    issuerUrl: 'https://gateway.example.com',
    keySet: async () => keySet,
    onSign: () => {
      returningSignatures += 1;
    },
  });
  await returning.assertionFor(principal, audience);
  const reuse = await timeEach(iterations, () => returning.assertionFor(principal, audience));

  const fresh = new AssertionSigner({
    issuerUrl: 'https://gateway.example.com',
    keySet: async () => keySet,
    maxCachedAssertions: 10,
  });
  let n = 0;
  const signCount = Math.min(iterations, 2_000);
  const sign = await timeEach(signCount, () =>
    fresh.assertionFor({ ...principal, subject: `caller-${(n += 1)}` }, audience),
  );
  return {
    iterations,
    returningCallerSignatures: returningSignatures,
    reuseMedianUs: round(median(reuse)),
    reuseP99Us: round(percentile(reuse, 99)),
    signMedianUs: round(median(sign)),
    signP99Us: round(percentile(sign, 99)),
  };
}
