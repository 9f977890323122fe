/**
 * JSON.parse that keeps every number exactly as written where a JavaScript number would not:
 * such a number becomes `JSON.rawJSON(source)` (Node 22), which validation reads back as
 * text and JSON.stringify writes back unchanged. So `{"id": 9007199254740993}` reaches
 * Spanner as 9007199254740993, not 9007199254740992.
 *
 * Relies on the reviver's `context.source` (ES2025 "JSON.parse source text access").
 */
export interface RawJson {
  readonly rawJSON: string;
}

declare global {
  // ES2025 JSON.rawJSON / JSON.isRawJSON (Node 22); not yet in TypeScript's lib.
  interface JSON {
    rawJSON(text: string): RawJson;
    isRawJSON(value: unknown): value is RawJson;
  }
}

const json = JSON;

export function parseJsonLossless(text: string): unknown {
  return JSON.parse(text, function keepExactNumbers(_key, value, context?: { source?: string }) {
    if (typeof value === 'number' && context?.source !== undefined) {
      if (JSON.stringify(value) !== context.source) return json.rawJSON(context.source);
    }
    return value as unknown;
  });
}

/** The exact source of a number from parseJsonLossless; undefined for anything else. */
export function numberSource(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : undefined;
  if (json.isRawJSON(value)) return value.rawJSON;
  return undefined;
}

export function isRawJson(value: unknown): value is RawJson {
  return json.isRawJSON(value);
}
