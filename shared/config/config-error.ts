/** One problem of a config, where it is and what kind (zod's issue code and details). */
export interface ConfigIssue {
  /** The key, e.g. `issuers[0].userPoolId`, `cloudRun.services.echo.url`. */
  path: string;
  code: string;
  /** For `invalid_format`: `url`, `regex`, ... */
  format?: string;
  /** For `invalid_type`: the expected type. */
  expected?: string;
  /** For `invalid_format` `regex`: the pattern. */
  pattern?: string;
}

/** Thrown for a bad config file, at package time or container start; the message names every bad key. */
export class InvalidConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly issues: readonly ConfigIssue[] = [],
  ) {
    super(`invalid crossgate config: ${problems.join('; ')}`);
    this.name = 'InvalidConfigError';
  }
}
