import type { Logger } from '@aws-lambda-powertools/logger';
import { TokenVerifier } from './auth/token-verifier';
import { loadConfig } from './config/load-config';
import type { GatewayConfig } from './config/schema';
import { logger } from './logging/logger';

/** What every function shares, created once per container (Lambda execution environment). */
export interface GatewayDependencies {
  config: GatewayConfig;
  verifier: TokenVerifier;
  logger: Logger;
}

let containerDependencies: GatewayDependencies | undefined;

/**
 * Lifetime: the container. Config is validated here, at cold start, so a bad file fails the
 * init with a message naming the key instead of failing requests one by one.
 */
export function gatewayDependencies(): GatewayDependencies {
  if (!containerDependencies) {
    const config = loadConfig();
    containerDependencies = { config, verifier: TokenVerifier.create(config), logger };
  }
  return containerDependencies;
}
