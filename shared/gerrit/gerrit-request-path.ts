import { BadRequestError, NotFoundError, ValidationError } from '../errors';
import { decodeIdentifier } from './gerrit-path';

/** Where Gerrit's REST API starts under the gateway: a client's base URL is `<gateway>/gerrit`. */
const GERRIT_API_PREFIX = '/gerrit/a';

/** Longest identifier (change id, revision, file path, group) the gateway passes on. */
const MAX_IDENTIFIER = 512;

/**
 * Gerrit's path after `/a` as the client sent it, still percent-encoded: `rawPath` rather than
 * the decoded `{proxy+}`, so that `team%2Ftools~7` stays one segment. A stage name before
 * `/gerrit` (API Gateway's named stages) is allowed.
 *
 * @example
 *   gerritPathOf('/gerrit/a/changes/team%2Ftools~7/detail') // '/changes/team%2Ftools~7/detail'
 */
export function gerritPathOf(rawPath: string): string {
  const start = rawPath.indexOf(`${GERRIT_API_PREFIX}/`);
  if (start < 0) throw new NotFoundError('Gerrit REST calls are served under /gerrit/a/');
  const path = rawPath.slice(start + GERRIT_API_PREFIX.length);
  refuseDotSegments(path);
  return path;
}

/**
 * A segment that is `.` or `..` once decoded (`%2e`), or twice (`%252e`), or after a `;`
 * parameter is stripped (`..;`, which Jetty, Gerrit's server, reads as `..`) is refused:
 * `/changes/%252e` must never reach Gerrit as `/changes/.` and turn into a query of every change.
 * A decoded segment is also split at `/` (a `%2F` inside an id), so `x%2F..%2Fy` is refused too.
 */
export function refuseDotSegments(path: string): void {
  for (const segment of path.split('/')) {
    let value = segment;
    // Three passes: the raw segment, decoded once, decoded twice.
    for (let pass = 0; pass < 3; pass += 1) {
      if (value.split('/').some(isDotName)) {
        throw new ValidationError('the path has a . or .. segment', [
          { name: 'path', reason: 'no segment may be . or .., in any encoding' },
        ]);
      }
      const decoded = decodeIdentifier(value);
      if (decoded === undefined) {
        throw new BadRequestError('the path is not valid percent-encoding');
      }
      if (decoded === value) break;
      value = decoded;
    }
  }
}

function isDotName(part: string): boolean {
  const bare = part.split(';')[0];
  return bare === '.' || bare === '..';
}

/**
 * A path parameter decoded once and checked: the value the gateway reasons about (the change
 * id, the file), re-encoded with encodeURIComponent when the call to Gerrit is built.
 */
export function pathParameter(name: string, raw: string): string {
  const value = decodeIdentifier(raw);
  if (
    value === undefined ||
    value === '' ||
    value.length > MAX_IDENTIFIER ||
    [...value].some((character) => (character.codePointAt(0) ?? 0) < 0x20)
  ) {
    throw new ValidationError(`the ${name} in the path is invalid`, [
      {
        name: `params.${name}`,
        reason: `must be a Gerrit identifier of 1 to ${MAX_IDENTIFIER} characters`,
      },
    ]);
  }
  return value;
}

/** Gerrit's path for an endpoint pattern with its parameters, each encoded as one segment. */
export function buildGerritPath(pattern: string, params: Readonly<Record<string, string>>): string {
  return pattern.replace(/\{([a-z]+)\}/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new NotFoundError(`no ${name} in the path`);
    return encodeURIComponent(value);
  });
}
