/**
 * Every way a request can fail, as one small hierarchy.
 *
 * What is safe to show is decided where the error is made (`detail`, `expose`); the
 * problem-errors middleware is the only place that turns an error into a response.
 * Callers branch on `instanceof`, never on message text.
 */

export interface ProblemExtensions {
  [member: string]: unknown;
}

export abstract class GatewayError extends Error {
  /** HTTP status of the problem+json response. */
  abstract readonly status: number;
  /** Stable slug; the problem `type` is derived from it. */
  abstract readonly slug: string;
  /** Short, fixed summary of the problem type. */
  abstract readonly title: string;
  /** Whether `detail` may be shown to the caller. 5xx details are hidden unless a subclass opts in. */
  readonly expose: boolean;
  /** Extra response headers (WWW-Authenticate, Retry-After, Allow, ...). */
  readonly headers: Record<string, string>;
  /** Extra problem members, all safe to show. */
  readonly extensions: ProblemExtensions;

  constructor(
    readonly detail: string,
    options: {
      expose?: boolean;
      headers?: Record<string, string>;
      extensions?: ProblemExtensions;
      cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = new.target.name;
    this.expose = options.expose ?? true;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

// ---------------------------------------------------------------------------
// Caller errors (4xx)
// ---------------------------------------------------------------------------

export interface InvalidParameter {
  /** Where the bad value was: `params.id`, `query.n`, `body.labels.Code-Review`. */
  name: string;
  reason: string;
}

export class BadRequestError extends GatewayError {
  readonly status = 400;
  readonly slug: string = 'bad-request';
  readonly title: string = 'Bad request';
}

/** A request whose parameters failed validation; names each bad parameter. */
export class ValidationError extends BadRequestError {
  override readonly slug = 'validation-failed';
  override readonly title = 'Request validation failed';

  constructor(
    detail: string,
    readonly invalidParams: InvalidParameter[],
  ) {
    super(detail, { extensions: { invalidParams } });
  }
}

/** 401: no usable credentials. Carries the RFC 6750 challenge. */
export class AuthenticationError extends GatewayError {
  readonly status = 401;
  readonly slug: string = 'missing-token';
  readonly title: string = 'Authentication required';

  constructor(detail: string, challenge = 'Bearer realm="crossgate"') {
    super(detail, { headers: { 'www-authenticate': challenge } });
  }
}

/** 401 for a token that was presented and rejected. */
export class InvalidTokenError extends AuthenticationError {
  override readonly slug = 'invalid-token';
  override readonly title = 'Invalid token';

  constructor(detail: string, challenge = `Bearer realm="crossgate", error="invalid_token"`) {
    super(detail, challenge);
  }
}

/** 403: authenticated, but policy does not allow it. Names what was missing. */
export class ForbiddenError extends GatewayError {
  readonly status = 403;
  readonly slug = 'forbidden';
  readonly title = 'Forbidden';

  constructor(
    detail: string,
    readonly missingPermission?: string,
    extensions: ProblemExtensions = {},
  ) {
    super(detail, {
      extensions: missingPermission ? { missingPermission, ...extensions } : extensions,
    });
  }
}

export class NotFoundError extends GatewayError {
  readonly status = 404;
  readonly slug = 'not-found';
  readonly title = 'Not found';
}

export class MethodNotAllowedError extends GatewayError {
  readonly status = 405;
  readonly slug = 'method-not-allowed';
  readonly title = 'Method not allowed';

  constructor(detail: string, allowed: readonly string[]) {
    super(detail, { headers: { allow: allowed.join(', ') } });
  }
}

export class ConflictError extends GatewayError {
  readonly status = 409;
  readonly slug = 'conflict';
  readonly title = 'Conflict';
}

export class PayloadTooLargeError extends GatewayError {
  readonly status = 413;
  readonly slug = 'payload-too-large';
  readonly title = 'Payload too large';
}

export class UnsupportedMediaTypeError extends GatewayError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
  readonly title = 'Unsupported media type';
}

export class TooManyRequestsError extends GatewayError {
  readonly status = 429;
  readonly slug = 'too-many-requests';
  readonly title = 'Too many requests';

  constructor(detail: string, retryAfterSeconds: number) {
    super(detail, { headers: { 'retry-after': String(retryAfterSeconds) } });
  }
}

// ---------------------------------------------------------------------------
// Gateway and backend errors (5xx)
// ---------------------------------------------------------------------------

/** A bug or an unexpected failure: the detail is never shown. */
export class InternalError extends GatewayError {
  readonly status = 500;
  readonly slug = 'internal-error';
  readonly title = 'Internal error';

  constructor(detail: string, cause?: unknown) {
    super(detail, { expose: false, cause });
  }
}

/** The deployment is misconfigured; the detail is a hint for the operator and safe to show. */
export class ConfigurationError extends GatewayError {
  readonly status = 500;
  readonly slug = 'configuration-error';
  readonly title = 'Gateway misconfigured';

  constructor(detail: string, cause?: unknown) {
    super(detail, { expose: true, cause });
  }
}

/** The backend answered with something we will not pass on. */
export class UpstreamError extends GatewayError {
  readonly status = 502;
  readonly slug = 'bad-gateway';
  readonly title = 'Bad gateway';

  constructor(detail: string, upstreamStatus?: number, cause?: unknown) {
    super(detail, {
      expose: true,
      cause,
      extensions: upstreamStatus === undefined ? {} : { upstreamStatus },
    });
  }
}

/** A dependency (Secrets Manager, token endpoint, JWKS, backend) is unavailable for now. */
export class ServiceUnavailableError extends GatewayError {
  readonly status = 503;
  readonly slug = 'service-unavailable';
  readonly title = 'Service unavailable';

  constructor(detail: string, retryAfterSeconds = 5, cause?: unknown) {
    super(detail, { expose: true, cause, headers: { 'retry-after': String(retryAfterSeconds) } });
  }
}

export class GatewayTimeoutError extends GatewayError {
  readonly status = 504;
  readonly slug = 'gateway-timeout';
  readonly title = 'Gateway timeout';

  constructor(detail: string, cause?: unknown) {
    super(detail, { expose: true, cause });
  }
}
