import { Status } from 'google-gax';
import {
  BadRequestError,
  ConfigurationError,
  ConflictError,
  GatewayError,
  GatewayTimeoutError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UpstreamError,
} from '../errors';

/** Seconds a caller should wait after Spanner said UNAVAILABLE or RESOURCE_EXHAUSTED. */
export const SPANNER_RETRY_AFTER_SECONDS = 2;

interface GrpcLikeError {
  code?: unknown;
  details?: unknown;
  message?: unknown;
}

/** A missing table, column or database means config and schema disagree: the operator must act. */
const SCHEMA_MISMATCH =
  /\b(Table|Column|Database|Instance|Index) not found\b|\bUnrecognized name\b/i;
const SESSION_LOST = /\bSession not found\b/i;

/**
 * Maps a Spanner (gRPC) error to the gateway's error for the caller:
 *
 * | Spanner | HTTP |
 * |---|---|
 * | INVALID_ARGUMENT, OUT_OF_RANGE | 400 |
 * | NOT_FOUND | 404; a missing table, column or database is 500 with a config hint |
 * | ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED (retries exhausted) | 409 |
 * | RESOURCE_EXHAUSTED | 429 with Retry-After |
 * | DEADLINE_EXCEEDED, CANCELLED | 504 |
 * | UNAVAILABLE (and a lost session) | 503 with Retry-After |
 * | PERMISSION_DENIED, UNAUTHENTICATED | 500: the gateway's own Google identity was refused |
 * | anything else | 502 |
 *
 * 4xx details carry Spanner's message (it describes the caller's values, e.g. a duplicate
 * key), with resource paths removed; 5xx details are fixed texts.
 */
export function mapSpannerError(error: unknown, statement: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const { code, details } = describe(error);
  const message = `statement ${statement}: ${details}`;
  switch (code) {
    case Status.INVALID_ARGUMENT:
    case Status.OUT_OF_RANGE:
      if (SCHEMA_MISMATCH.test(details)) return schemaMismatch(statement, details, error);
      return new BadRequestError(message, { cause: error });
    case Status.NOT_FOUND:
      if (SESSION_LOST.test(details)) {
        return new ServiceUnavailableError(
          'the Spanner session expired; retry',
          SPANNER_RETRY_AFTER_SECONDS,
          error,
        );
      }
      if (SCHEMA_MISMATCH.test(details)) return schemaMismatch(statement, details, error);
      return new NotFoundError(message, { cause: error });
    case Status.ALREADY_EXISTS:
    case Status.FAILED_PRECONDITION:
      return new ConflictError(message, { cause: error });
    case Status.ABORTED:
      return new ConflictError(`statement ${statement}: the transaction kept aborting; retry`, {
        cause: error,
      });
    case Status.RESOURCE_EXHAUSTED:
      return new TooManyRequestsError(
        `statement ${statement}: Spanner is overloaded; retry later`,
        SPANNER_RETRY_AFTER_SECONDS,
      );
    case Status.DEADLINE_EXCEEDED:
    case Status.CANCELLED:
      return new GatewayTimeoutError(`statement ${statement} did not finish in time`, error);
    case Status.UNAVAILABLE:
      return new ServiceUnavailableError(
        'Spanner is unavailable; retry',
        SPANNER_RETRY_AFTER_SECONDS,
        error,
      );
    case Status.PERMISSION_DENIED:
    case Status.UNAUTHENTICATED:
      return new ConfigurationError(
        "Spanner refused the gateway's Google credentials; check the GCP credentials secret and the service account's Spanner roles",
        error,
      );
    default:
      return new UpstreamError(`statement ${statement}: Spanner failed`, undefined, error);
  }
}

function schemaMismatch(statement: string, details: string, cause: unknown): ConfigurationError {
  return new ConfigurationError(
    `statement ${statement} refers to something the database does not have (${details}); check spanner.projectId/instanceId/databaseId and the statement's sql in config`,
    cause,
  );
}

function describe(error: unknown): { code: number | undefined; details: string } {
  const grpc = (typeof error === 'object' && error !== null ? error : {}) as GrpcLikeError;
  const code = typeof grpc.code === 'number' ? grpc.code : undefined;
  const raw =
    typeof grpc.details === 'string' && grpc.details !== ''
      ? grpc.details
      : typeof grpc.message === 'string'
        ? grpc.message
        : 'unknown error';
  // Spanner appends the SQL text and a caret line to syntax errors; the first line says it all.
  return { code, details: stripResourcePaths(raw.split('\n')[0] ?? raw) };
}

/** Keeps project, instance and database paths out of what the caller sees. */
function stripResourcePaths(text: string): string {
  return text.replace(/projects\/[^\s/]+(\/[A-Za-z]+\/[^\s/:,]+)*/g, (path) => {
    const last = path.split('/').slice(-2).join(' ');
    return last;
  });
}
