/**
 * Gerrit prefixes every JSON response with `)]}'` and a newline, so that a browser can never
 * run the body as a script (XSSI). A JSON body without it did not come from Gerrit's REST API
 * (a proxy's error page, a misrouted base URL), so it is refused rather than trusted.
 */
export const XSSI_PREFIX = ")]}'";

export class GerritJsonError extends Error {
  override readonly name = 'GerritJsonError';
}

/**
 * Strips the XSSI line and parses the JSON that follows.
 *
 * @example
 *   parseGerritJson(")]}'\n{\"labels\":{\"Code-Review\":1}}") // { labels: { 'Code-Review': 1 } }
 */
export function parseGerritJson(text: string): unknown {
  if (!text.startsWith(XSSI_PREFIX)) {
    throw new GerritJsonError(`the response does not start with Gerrit's ${XSSI_PREFIX} line`);
  }
  const body = text.slice(XSSI_PREFIX.length).replace(/^\r?\n/, '');
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new GerritJsonError('the response is not valid JSON after the XSSI line', {
      cause: error,
    });
  }
}
