import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { JwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';

export interface PeerChainOptions {
  /** The `iss` of the tokens it is given. */
  issuer: string;
  jwksUri: string;
  /** The issuer's keys, loaded up front as a warm container would have them. */
  jwks: Jwks;
  logger: Logger;
}

/**
 * The comparator of issue 16: the chain a team typically assembles by hand from the same
 * libraries. middy with @middy/http-header-normalizer and @middy/http-error-handler, Powertools
 * `injectLambdaContext` and one audit `logger.info` per request, and aws-jwt-verify on every
 * request (its JWKS cached, as aws-jwt-verify does; no cache of verified tokens). It answers
 * with the caller's subject and groups, the shape of a minimal /me.
 */
export function createPeerHandler(
  options: PeerChainOptions,
): (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2> {
  const verifier = JwtVerifier.create({
    issuer: options.issuer,
    audience: null,
    jwksUri: options.jwksUri,
  });
  verifier.cacheJwks(options.jwks);
  const { logger } = options;
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(injectLambdaContext(logger))
    .use(httpErrorHandler())
    .handler(async (event) => {
      const started = Date.now();
      const token = event.headers.authorization?.replace(/^Bearer /i, '') ?? '';
      const payload = await verifier.verify(token);
      const groups = (payload['cognito:groups'] as string[] | undefined) ?? [];
      const body = JSON.stringify({ subject: payload.sub, groups });
      logger.info('audit', {
        subject: payload.sub,
        route: event.routeKey,
        decision: 'allow',
        status: 200,
        latencyMs: Date.now() - started,
      });
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
    });
}
