import { GoogleError, Status } from 'google-gax';
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ConfigurationError,
  ConflictError,
  GatewayTimeoutError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
} from '../../../../shared/errors';
import { mapSpannerError } from '../../../../shared/spanner/spanner-errors';

const grpcError = (code: Status, details: string) => {
  const error = new GoogleError(`${code} ${Status[code]}: ${details}`);
  error.code = code;
  (error as GoogleError & { details: string }).details = details;
  return error;
};

describe('mapSpannerError', () => {
  it.each([
    [Status.INVALID_ARGUMENT, 'Bad int64 value: x', BadRequestError, 400],
    [Status.NOT_FOUND, 'Row not found', NotFoundError, 404],
    [
      Status.NOT_FOUND,
      'Database not found: projects/p/instances/i/databases/d',
      ConfigurationError,
      500,
    ],
    [Status.INVALID_ARGUMENT, 'Table not found: Nope [at 1:15]', ConfigurationError, 500],
    [Status.ALREADY_EXISTS, 'Row [1] in table Singers already exists', ConflictError, 409],
    [Status.FAILED_PRECONDITION, 'Cannot specify a null value', ConflictError, 409],
    [Status.DEADLINE_EXCEEDED, 'Deadline exceeded', GatewayTimeoutError, 504],
    [Status.UNAVAILABLE, 'No connection established', ServiceUnavailableError, 503],
    [
      Status.NOT_FOUND,
      'Session not found: projects/p/instances/i/databases/d/sessions/s',
      ServiceUnavailableError,
      503,
    ],
    [Status.RESOURCE_EXHAUSTED, 'quota', TooManyRequestsError, 429],
    [Status.PERMISSION_DENIED, 'denied', ConfigurationError, 500],
  ])('maps code %i (%s) to %s', (code, details, errorClass, status) => {
    const mapped = mapSpannerError(grpcError(code, details), 'getSinger');
    expect(mapped).toBeInstanceOf(errorClass);
    expect(mapped.status).toBe(status);
    expect(mapped.detail).not.toMatch(/projects\//);
  });

  it('UNAVAILABLE carries Retry-After', () => {
    const mapped = mapSpannerError(grpcError(Status.UNAVAILABLE, 'down'), 's');
    expect(mapped.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('a missing database says where to look in config', () => {
    const mapped = mapSpannerError(
      grpcError(Status.NOT_FOUND, 'Database not found: projects/p/instances/i/databases/music'),
      's',
    );
    expect(mapped.detail).toContain('databaseId');
    expect(mapped.expose).toBe(true);
  });
});
