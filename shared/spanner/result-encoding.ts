import type { protos } from '@google-cloud/spanner';

type SpannerType = protos.google.spanner.v1.IType;
type TypeCodeName = keyof typeof protos.google.spanner.v1.TypeCode;

/** One result column: its name and its Spanner type, e.g. `{ "name": "Tags", "type": "ARRAY<STRING>" }`. */
export interface ResultColumn {
  name: string;
  type: string;
}

/**
 * Turns rows as the Spanner client decodes them (`json: false`: Int, Float, Numeric,
 * PreciseDate, SpannerDate, Buffer, ...) into their documented JSON forms (docs/spanner.md):
 *
 * | Spanner | JSON |
 * |---|---|
 * | INT64, NUMERIC | string, exact: `"9007199254740993"`, `"12.500000000"` |
 * | FLOAT64, FLOAT32 | number; `"NaN"`, `"Infinity"`, `"-Infinity"` as strings |
 * | BOOL, STRING | boolean, string |
 * | BYTES | base64 string |
 * | DATE | `"YYYY-MM-DD"` |
 * | TIMESTAMP | RFC 3339 in UTC with up to nanoseconds: `"2024-05-01T12:00:00.123456789Z"` |
 * | JSON | the JSON value itself |
 * | ARRAY<T> | array of T's form (null elements stay null) |
 * | STRUCT | object by field name |
 */
export function encodeValue(type: SpannerType | null | undefined, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeCodeName(type)) {
    case 'INT64':
    case 'NUMERIC':
      return wrappedValue(value);
    case 'FLOAT64':
    case 'FLOAT32': {
      const number = Number(wrappedValue(value));
      return Number.isFinite(number) ? number : String(number);
    }
    case 'BOOL':
    case 'STRING':
      return value;
    case 'BYTES':
      return Buffer.isBuffer(value) ? value.toString('base64') : value;
    case 'DATE':
      // SpannerDate#toJSON is YYYY-MM-DD, without a time or zone.
      return value instanceof Date ? value.toJSON() : value;
    case 'TIMESTAMP':
      // PreciseDate#toISOString keeps the nanoseconds that Date would drop.
      return value instanceof Date ? value.toISOString() : value;
    case 'JSON':
      // The PostgreSQL dialect's jsonb arrives as a PGJsonb holding JSON text.
      return isPgJsonb(type) ? JSON.parse(String(value)) : value;
    case 'ARRAY':
      return (value as unknown[]).map((element) => encodeValue(type?.arrayElementType, element));
    case 'STRUCT':
      return encodeStruct(type, value);
    default:
      return typeof value === 'object' && value !== null && 'toJSON' in value
        ? (value as { toJSON: () => unknown }).toJSON()
        : String(value);
  }
}

/** `INT64`, `ARRAY<STRING>`, `STRUCT<a INT64, b STRING>`. */
export function describeType(type: SpannerType | null | undefined): string {
  const code = typeCodeName(type);
  if (code === 'ARRAY') return `ARRAY<${describeType(type?.arrayElementType)}>`;
  if (code === 'STRUCT') {
    const fields = type?.structType?.fields ?? [];
    return `STRUCT<${fields.map((field) => `${field.name ? `${field.name} ` : ''}${describeType(field.type)}`).join(', ')}>`;
  }
  return code;
}

export function typeCodeName(type: SpannerType | null | undefined): TypeCodeName | string {
  const code = type?.code;
  if (typeof code === 'string') return code;
  return typeCodeNames[code ?? 0] ?? 'TYPE_CODE_UNSPECIFIED';
}

// Numeric TypeCode values, from google/spanner/v1/type.proto.
const typeCodeNames: Record<number, TypeCodeName> = {
  0: 'TYPE_CODE_UNSPECIFIED',
  1: 'BOOL',
  2: 'INT64',
  3: 'FLOAT64',
  4: 'TIMESTAMP',
  5: 'DATE',
  6: 'STRING',
  7: 'BYTES',
  8: 'ARRAY',
  9: 'STRUCT',
  10: 'NUMERIC',
  11: 'JSON',
  13: 'PROTO',
  14: 'ENUM',
  15: 'FLOAT32',
  16: 'INTERVAL',
  17: 'UUID',
};

function encodeStruct(type: SpannerType | null | undefined, value: unknown): unknown {
  const fields = type?.structType?.fields ?? [];
  const out: Record<string, unknown> = {};
  const entries = Array.isArray(value)
    ? (value as { name?: string; value?: unknown }[])
    : Object.entries(value as object).map(([name, inner]) => ({ name, value: inner }));
  entries.forEach((entry, index) => {
    const name = fields[index]?.name || entry.name || `_${index}`;
    out[name] = encodeValue(fields[index]?.type, entry.value);
  });
  return out;
}

function wrappedValue(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'value' in value
    ? (value as { value: unknown }).value
    : typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : value;
}

function isPgJsonb(type: SpannerType | null | undefined): boolean {
  const annotation = type?.typeAnnotation;
  return annotation === 'PG_JSONB' || annotation === 3;
}
