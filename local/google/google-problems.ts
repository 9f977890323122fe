/** How the Google stand-in refuses: Google's OAuth and API error bodies, or a cut connection. */

/** The connection is cut without an answer (a held request when faults change). */
export class DroppedConnection extends Error {}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.error ?? status));
  }
}

export const oauthError = (status: number, error: string, description: string) =>
  new HttpProblem(status, { error, error_description: description });
export const googleError = (status: number, state: string, message: string) =>
  new HttpProblem(status, { error: { code: status, message, status: state } });
