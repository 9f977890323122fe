import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { GatewayError } from '../errors';

export type HttpResponse = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
};

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** A JSON response whose body is already serialised (e.g. kept from an earlier request). */
export function jsonBodyResponse(statusCode: number, body: string): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, body };
}

const PROBLEM_TYPE_BASE = 'urn:crossgate:problem:';

/** RFC 9457 problem+json for a GatewayError; never a stack trace, token or secret. */
export function problemResponse(
  error: GatewayError,
  correlationId: string | undefined,
  instance?: string,
): HttpResponse {
  const body = {
    type: `${PROBLEM_TYPE_BASE}${error.slug}`,
    title: error.title,
    status: error.status,
    detail: error.expose ? error.detail : 'The gateway failed to handle the request.',
    ...(instance ? { instance } : {}),
    ...error.extensions,
    correlationId,
  };
  return {
    statusCode: error.status,
    headers: { ...error.headers, 'content-type': 'application/problem+json' },
    body: JSON.stringify(body),
  };
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
