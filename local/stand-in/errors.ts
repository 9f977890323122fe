/**
 * A refusal a stand-in answers with: a status, the message the real server would send, and
 * extra headers (e.g. `WWW-Authenticate`). Each stand-in renders it in its server's dialect
 * (plain text for Gerrit, Google's JSON error for Google).
 */
export class StandInError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** A JSON body, for servers whose errors are JSON (Google). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** Thrown to cut the connection without any answer (a `close` fault, a dropped request). */
export class DropConnection extends Error {}
