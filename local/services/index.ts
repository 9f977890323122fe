import { backstageService } from './backstage';
import { cognitoService } from './cognito';
import { echoService } from './echo';
import { gerritService } from './gerrit';
import { googleService } from './google';
import { motoService } from './moto';
import { oidcService } from './oidc';
import { serverlessOfflineService } from './serverless-offline';
import { spannerService } from './spanner';
import type { LocalService } from './types';

/**
 * The offline stack, in start order (stopped in reverse). Backends and stand-ins go before
 * serverless offline, which needs all of their URLs.
 */
export const localServices: LocalService[] = [
  motoService,
  cognitoService,
  oidcService,
  backstageService,
  googleService,
  echoService,
  gerritService,
  spannerService,
  serverlessOfflineService,
];
