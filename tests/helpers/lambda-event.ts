import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** An HTTP API (payload 2.0) event as API Gateway delivers it: lower-case headers. */
export function httpApiEvent(
  routeKey: string,
  options: {
    headers?: Record<string, string>;
    path?: string;
    body?: string;
    isBase64Encoded?: boolean;
    pathParameters?: Record<string, string>;
    /** The request's method where the route key says ANY. */
    method?: string;
  } = {},
): APIGatewayProxyEventV2 {
  const [routeMethod = 'GET', path = '/'] = routeKey.split(' ');
  const method = options.method ?? routeMethod;
  const rawPath = options.path ?? path;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    body: options.body,
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

/** A Lambda context with the remaining-time clock Lambda gives. */
export function lambdaContext(remainingMs = 29_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'crossgate-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:crossgate-test',
    memoryLimitInMB: '256',
    awsRequestId: `aws-${Math.random().toString(16).slice(2)}`,
    logGroupName: '/aws/lambda/crossgate-test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
