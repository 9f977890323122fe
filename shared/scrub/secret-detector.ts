/**
 * What a secret detector reports: which rule matched and where, as UTF-16 offsets into the
 * text it was given (`text.slice(start, end)` is the secret). Never the secret itself, so a
 * finding can be logged or counted without carrying what it found.
 */
export interface SecretFinding {
  /** Short, stable rule id, e.g. `aws`, `privatekey`, `github`. Used in `[REDACTED:<rule>]`. */
  rule: string;
  start: number;
  end: number;
}

/**
 * Finds secrets in a text. Injected wherever scrubbing happens, so that tests and benchmarks can
 * compare detectors; the default is secretlint's recommended preset (secretlint-detector.ts).
 */
export type SecretDetector = (text: string) => Promise<readonly SecretFinding[]>;

/** Redactions made in one answer, by rule: `{ aws: 2, privatekey: 1 }`. Never what was redacted. */
export type RedactionCounts = Record<string, number>;

/** The text that replaces a secret. */
export function redactionMarker(rule: string): string {
  return `[REDACTED:${rule}]`;
}

/** Adds `more` into `into` and returns it. */
export function addCounts(into: RedactionCounts, more: RedactionCounts): RedactionCounts {
  for (const [rule, count] of Object.entries(more)) into[rule] = (into[rule] ?? 0) + count;
  return into;
}

/** One detector that reports what each of `detectors` finds (overlaps are merged when applied). */
export function combineDetectors(...detectors: SecretDetector[]): SecretDetector {
  return async function detectWithAll(text: string): Promise<SecretFinding[]> {
    const results = await Promise.all(detectors.map((detect) => detect(text)));
    return results.flat();
  };
}
