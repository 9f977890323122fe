import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  type GatewayError,
  NotFoundError,
  TooManyRequestsError,
  UpstreamError,
} from '../errors';
import { XSSI_PREFIX } from './gerrit-json';

/** Gerrit's RunAs refusals (java/com/google/gerrit/httpd/RunAsFilter.java), all plain text. */
const RUN_AS_UNKNOWN_ACCOUNT = 'no account matches X-Gerrit-RunAs';
const RUN_AS_NOT_PERMITTED = 'not permitted to use X-Gerrit-RunAs';
const RUN_AS_DISABLED = 'X-Gerrit-RunAs disabled by auth.enableRunAs = false';

/** Longest Gerrit message passed on as a problem detail. */
const MAX_DETAIL = 500;

export interface GerritFailure {
  status: number;
  /** The response body as text. */
  body: string;
  /** Seconds from Retry-After, when Gerrit sent one. */
  retryAfterSeconds?: number;
  /** The account the call ran as, when it ran for a caller. */
  runAs?: string;
}

/**
 * Turns a failed Gerrit answer into the gateway's error. Gerrit answers errors in plain text;
 * its message is passed on where it helps the caller (400, 404, 409) and cut to a safe length.
 * A JSON error body (Set Review's reviewer errors) is summarised, not relayed.
 */
export function gerritError(failure: GerritFailure): GatewayError {
  const message = gerritMessage(failure.body);
  switch (failure.status) {
    case 400:
      return new BadRequestError(message ? `Gerrit: ${message}` : 'Gerrit rejected the request');
    case 403:
      return forbidden(message, failure.runAs);
    case 404:
      return new NotFoundError(message ? `Gerrit: ${message}` : 'Gerrit found no such resource');
    case 409:
      // Gerrit's own words are the useful part: "blocked by Verified", "change is merged".
      return new ConflictError(message || 'Gerrit refused the change in its current state');
    case 429:
      return new TooManyRequestsError(
        'Gerrit is rate limiting these requests',
        failure.retryAfterSeconds ?? 1,
      );
    default:
      return new UpstreamError(
        failure.status >= 500
          ? `Gerrit failed (HTTP ${failure.status})`
          : `Gerrit answered with an unexpected HTTP ${failure.status}`,
        failure.status,
      );
  }
}

/** Whether a Gerrit 403 is about Run As (the gateway's setup), not about what the caller asked. */
export function isRunAsRefusal(body: string): boolean {
  const message = gerritMessage(body);
  return (
    message === RUN_AS_UNKNOWN_ACCOUNT ||
    message === RUN_AS_NOT_PERMITTED ||
    message === RUN_AS_DISABLED
  );
}

function forbidden(message: string, runAs: string | undefined): GatewayError {
  if (message === RUN_AS_UNKNOWN_ACCOUNT) {
    return new ForbiddenError(
      `the caller is unknown to Gerrit: no Gerrit account matches "${runAs ?? ''}"`,
      'gerrit-account',
    );
  }
  if (message === RUN_AS_NOT_PERMITTED || message === RUN_AS_DISABLED) {
    return new ForbiddenError(
      `Gerrit does not grant Run As to crossgate's service account, so it cannot act for the caller (${message})`,
      'gerrit-run-as',
    );
  }
  return new ForbiddenError(message ? `Gerrit: ${message}` : 'Gerrit refused the request');
}

/** Gerrit's plain-text message, trimmed; empty for JSON bodies and HTML error pages. */
function gerritMessage(body: string): string {
  const text = body.trim();
  if (text.startsWith(XSSI_PREFIX) || text.startsWith('<')) return '';
  const firstLines = text.split('\n').slice(0, 5).join('\n');
  return firstLines.length > MAX_DETAIL ? `${firstLines.slice(0, MAX_DETAIL)}…` : firstLines;
}

/** Retry-After as seconds (delta-seconds or an HTTP date), undefined when absent or bad. */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
