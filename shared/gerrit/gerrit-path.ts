/**
 * Gerrit's identifiers in URLs. Gerrit takes every identifier as one path segment, so a `/`
 * inside a project name (and hence inside a `project~number` change id) must be sent as
 * `%2F`; `~` stays as it is. encodeURIComponent does exactly that.
 */

import { ValidationError } from '../errors';

/**
 * One identifier as one path segment. encodeURIComponent leaves `.` alone, so an id of `.`
 * or `..` (or an empty one) would be a dot segment that fetch's URL parser resolves: the
 * call would go to another Gerrit endpoint. No Gerrit id has that form: 400.
 */
function encodeSegment(value: string, what: string, parameter: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new ValidationError(`the ${what} is invalid`, [
      { name: parameter, reason: 'must be a Gerrit identifier, not empty, "." or ".."' },
    ]);
  }
  return encodeURIComponent(value);
}

/** `team/tools` -> `team%2Ftools`. */
export function encodeProjectName(project: string): string {
  return encodeSegment(project, 'project name', 'project');
}

/** `team/tools~42` -> `team%2Ftools~42`; `42` and `I8473b9...` stay as they are. */
export function encodeChangeId(changeId: string): string {
  return encodeSegment(changeId, 'change id', 'params.id');
}

/** `current`, a patch-set number or a commit SHA-1; encoded like every other segment. */
export function encodeRevisionId(revisionId: string): string {
  return encodeSegment(revisionId, 'revision id', 'params.rev');
}

/**
 * Identifiers arrive from API Gateway either decoded or still percent-encoded (a caller who
 * wrote `team%2Ftools~42`): normalise to the decoded form once, so that encoding above is
 * applied exactly once. Undefined when the value is not valid percent-encoding.
 */
export function decodeIdentifier(value: string): string | undefined {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
