import type { GatewayLogger } from '../logging/gateway-logger';
import { containerKeySet } from '../assertion/container-assertions';
import { jwksResponseHeaders, publicJwks } from '../assertion/jwks';
import type { AssertionKeySet } from '../assertion/key-set';
import { containerCoreConfig } from '../config/compiled-document';
import type { CoreConfig } from '../config/schema';
import { jsonResponse } from '../http/responses';
import { logger as containerLogger } from '../logging/logger';
import { publicRoute } from '../middleware/gateway-handler';
import { JWKS_ROUTE } from './routes';

export interface JwksHandlerOptions {
  config?: Pick<CoreConfig, 'assertion' | 'aws' | 'secrets'>;
  /** The key set; the container's secret cache by default. */
  keySet?: () => Promise<AssertionKeySet>;
  logger?: GatewayLogger;
}

/**
 * `GET /.well-known/jwks.json`, no auth: the public keys of the caller assertion (current,
 * next, and retired ones still within their window), as IAP and Pomerium publish theirs.
 * Backends cache it for `jwksMaxAgeSeconds`.
 */
export function createJwksHandler(options: JwksHandlerOptions = {}) {
  const config = options.config ?? containerCoreConfig();
  const keySet = options.keySet ?? containerKeySet(config);
  const { retiredPublishSeconds, jwksMaxAgeSeconds } = config.assertion;
  return publicRoute(
    async () =>
      jsonResponse(
        200,
        publicJwks(await keySet(), { retiredPublishSeconds }),
        jwksResponseHeaders(jwksMaxAgeSeconds),
      ),
    { route: JWKS_ROUTE, logger: options.logger ?? containerLogger },
  );
}
