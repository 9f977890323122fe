import { createMeHandler } from '../../shared/core/me';
import type { StackState } from '../../local/services/types';
import { tokenFor } from '../../local/tokens';
import { TokenVerifier } from '../../shared/auth/token-verifier';
import type { GatewayConfig } from '../../shared/modules/gateway-config';
import { httpApiEvent, lambdaContext } from '../../tests/helpers/lambda-event';
import { discardingLogger } from '../discarding-logger';
import { round } from '../stats';

export interface MemoryResult {
  rssAfter1kMb: number;
  rssAfter10kMb: number;
  heapAfter1kMb: number;
  heapAfter10kMb: number;
  heapGrowthMb: number;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

function settle(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/** RSS and heap after 1,000 and after 10,000 warm /me requests in one container. */
export async function memoryGrowth(
  state: StackState,
  config: GatewayConfig,
): Promise<MemoryResult> {
  const token = await tokenFor(state, 'bob');
  const me = createMeHandler({
    dependencies: { config, verifier: TokenVerifier.create(config), logger: discardingLogger() },
  });
  const event = httpApiEvent('GET /me', { headers: { authorization: `Bearer ${token}` } });
  const context = lambdaContext(900_000);

  for (let i = 0; i < 1000; i += 1) await me(event, context);
  settle();
  const at1k = process.memoryUsage();
  for (let i = 1000; i < 10_000; i += 1) await me(event, context);
  settle();
  const at10k = process.memoryUsage();
  return {
    rssAfter1kMb: mb(at1k.rss),
    rssAfter10kMb: mb(at10k.rss),
    heapAfter1kMb: mb(at1k.heapUsed),
    heapAfter10kMb: mb(at10k.heapUsed),
    heapGrowthMb: mb(at10k.heapUsed - at1k.heapUsed),
  };
}
