/**
 * The parameter types a statement may declare, as written in config: a scalar such as
 * `INT64`, or `ARRAY<scalar>`. Framework-free on purpose: config validation runs in every
 * function, and only the spanner function may pay for loading @google-cloud/spanner.
 */
export const SCALAR_TYPES = [
  'BOOL',
  'INT64',
  'FLOAT64',
  'NUMERIC',
  'STRING',
  'BYTES',
  'DATE',
  'TIMESTAMP',
  'JSON',
] as const;

export type ScalarTypeCode = (typeof SCALAR_TYPES)[number];

export type SpannerParamType =
  { code: ScalarTypeCode } | { code: 'ARRAY'; element: { code: ScalarTypeCode } };

const TYPE_PATTERN = /^\s*(?:ARRAY\s*<\s*([A-Z0-9]+)\s*>|([A-Z0-9]+))\s*$/i;

/**
 * Parses a declared type; undefined when it is not one we support.
 *
 * @example
 *   parseSpannerType('ARRAY<INT64>') // { code: 'ARRAY', element: { code: 'INT64' } }
 */
export function parseSpannerType(text: string): SpannerParamType | undefined {
  const match = TYPE_PATTERN.exec(text);
  if (!match) return undefined;
  const name = (match[1] ?? match[2] ?? '').toUpperCase();
  if (!isScalar(name)) return undefined;
  return match[1] === undefined ? { code: name } : { code: 'ARRAY', element: { code: name } };
}

export function formatSpannerType(type: SpannerParamType): string {
  return type.code === 'ARRAY' ? `ARRAY<${type.element.code}>` : type.code;
}

function isScalar(name: string): name is ScalarTypeCode {
  return (SCALAR_TYPES as readonly string[]).includes(name);
}
