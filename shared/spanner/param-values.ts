import { Spanner } from '@google-cloud/spanner';
import type { SqlDialect } from './sql-scan';
import { isRawJson, numberSource } from './lossless-json';
import { parseSpannerType, type ScalarTypeCode, type SpannerParamType } from './spanner-type';
import { ValidationError, type InvalidParameter } from '../errors';

/** Parameters ready for the Spanner client: values in their wire form, and explicit types. */
export interface BoundParams {
  params: Record<string, unknown>;
  types: Record<string, ClientParamType>;
}

type ClientScalar =
  | 'bool'
  | 'int64'
  | 'float64'
  | 'numeric'
  | 'pgNumeric'
  | 'string'
  | 'bytes'
  | 'date'
  | 'timestamp'
  | 'json'
  | 'pgJsonb';
type ClientParamType = ClientScalar | { type: 'array'; child: ClientScalar };

class InvalidValue extends Error {}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks the caller's parameters against the statement's declared types and converts them to
 * what the Spanner client sends. Every problem is collected, then one 400 names each bad
 * parameter: unknown, missing, wrong type or out of range. `null` binds SQL NULL.
 *
 * @param declared the statement's `params` from config (name -> type, in declaration order)
 * @param given `params` from the request body
 * @param dialect PostgreSQL databases bind `$n` as `pn`
 */
export function bindParams(
  declared: Readonly<Record<string, string>>,
  given: unknown,
  dialect: SqlDialect = 'GOOGLE_STANDARD_SQL',
): BoundParams {
  const problems: InvalidParameter[] = [];
  const values: Record<string, unknown> =
    given === undefined || given === null ? {} : (given as Record<string, unknown>);
  if (
    given !== undefined &&
    (typeof given !== 'object' || Array.isArray(given) || given === null)
  ) {
    throw new ValidationError('params must be a JSON object', [
      { name: 'params', reason: 'must be a JSON object of parameter values' },
    ]);
  }

  for (const name of Object.keys(values)) {
    if (!Object.hasOwn(declared, name)) {
      problems.push({
        name: `params.${name}`,
        reason: `unknown parameter; this statement takes ${describeDeclared(declared)}`,
      });
    }
  }

  const bound: BoundParams = { params: {}, types: {} };
  Object.entries(declared).forEach(([name, typeText], index) => {
    const type = parseSpannerType(typeText);
    if (!type) throw new Error(`config type ${typeText} of ${name} escaped validation`);
    const key = dialect === 'POSTGRESQL' ? `p${index + 1}` : name;
    if (!Object.hasOwn(values, name)) {
      problems.push({ name: `params.${name}`, reason: `missing; expected ${typeText}` });
      return;
    }
    try {
      bound.params[key] = convert(type, values[name], dialect);
      bound.types[key] = clientType(type, dialect);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      problems.push({ name: `params.${name}`, reason: error.message });
    }
  });

  if (problems.length > 0) {
    const names = problems.map((problem) => problem.name).join(', ');
    throw new ValidationError(`invalid statement parameters: ${names}`, problems);
  }
  return bound;
}

function describeDeclared(declared: Readonly<Record<string, string>>): string {
  const entries = Object.entries(declared);
  if (entries.length === 0) return 'no parameters';
  return entries.map(([name, type]) => `${name} ${type}`).join(', ');
}

function clientType(type: SpannerParamType, dialect: SqlDialect): ClientParamType {
  if (type.code === 'ARRAY')
    return { type: 'array', child: clientScalar(type.element.code, dialect) };
  return clientScalar(type.code, dialect);
}

function clientScalar(code: ScalarTypeCode, dialect: SqlDialect): ClientScalar {
  const postgres = dialect === 'POSTGRESQL';
  if (code === 'NUMERIC' && postgres) return 'pgNumeric';
  if (code === 'JSON' && postgres) return 'pgJsonb';
  return code.toLowerCase() as ClientScalar;
}

function convert(type: SpannerParamType, value: unknown, dialect: SqlDialect): unknown {
  if (value === null) return null;
  if (type.code !== 'ARRAY') return convertScalar(type.code, value, dialect);
  if (!Array.isArray(value)) throw new InvalidValue(`must be an array of ${type.element.code}`);
  return value.map((element, index) => {
    if (element === null) return null;
    try {
      return convertScalar(type.element.code, element, dialect);
    } catch (error) {
      if (error instanceof InvalidValue) throw new InvalidValue(`[${index}] ${error.message}`);
      throw error;
    }
  });
}

function convertScalar(code: ScalarTypeCode, value: unknown, dialect: SqlDialect): unknown {
  switch (code) {
    case 'BOOL':
      if (typeof value !== 'boolean') throw new InvalidValue('must be true or false');
      return value;
    case 'INT64':
      return int64(value);
    case 'FLOAT64':
      return float64(value);
    case 'NUMERIC':
      return numeric(value, dialect);
    case 'STRING':
      if (typeof value !== 'string') throw new InvalidValue('must be a string');
      return value;
    case 'BYTES':
      if (typeof value !== 'string' || !BASE64.test(value)) {
        throw new InvalidValue('must be a base64 string (BYTES)');
      }
      return Buffer.from(value, 'base64');
    case 'DATE':
      return date(value);
    case 'TIMESTAMP':
      return timestamp(value);
    case 'JSON':
      // JSON.stringify writes exact numbers back as they were sent (see lossless-json.ts).
      return JSON.stringify(value);
  }
}

/** A string of digits or a JSON number; never rounded, so values above 2^53 stay exact. */
function int64(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : numberSource(value);
  if (text === undefined || !INTEGER.test(text)) {
    throw new InvalidValue('must be an integer (INT64), as a JSON number or a string of digits');
  }
  const integer = BigInt(text);
  if (integer < INT64_MIN || integer > INT64_MAX) {
    throw new InvalidValue('out of range for INT64 (-2^63 .. 2^63-1)');
  }
  return integer.toString();
}

function float64(value: unknown): unknown {
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'number') return Spanner.float(value);
  if (isRawJson(value)) {
    const number = Number(value.rawJSON);
    if (!Number.isFinite(number)) throw new InvalidValue('out of range for FLOAT64');
    return Spanner.float(number);
  }
  throw new InvalidValue('must be a number (FLOAT64), or "NaN", "Infinity", "-Infinity"');
}

/** GoogleSQL NUMERIC: precision 38, scale 9. PostgreSQL numeric: up to 131072 digits before the point, 16383 after. */
function numeric(value: unknown, dialect: SqlDialect): string {
  const text = typeof value === 'string' ? value.trim() : numberSource(value);
  if (text === 'NaN' && dialect === 'POSTGRESQL') return text;
  const match = text === undefined ? null : DECIMAL.exec(text);
  if (!match || `${match[2] ?? ''}${match[3] ?? ''}` === '') {
    throw new InvalidValue(
      'must be a decimal number (NUMERIC), preferably as a string such as "12.50"',
    );
  }
  const integerDigits = (match[2] ?? '').replace(/^0+/, '');
  const fractionDigits = match[3] ?? '';
  const [maxInteger, maxFraction] = dialect === 'POSTGRESQL' ? [131_072, 16_383] : [29, 9];
  if (integerDigits.length > maxInteger) throw new InvalidValue('out of range for NUMERIC');
  if (fractionDigits.length > maxFraction) {
    throw new InvalidValue(`NUMERIC takes at most ${maxFraction} digits after the point`);
  }
  return `${match[1] === '-' ? '-' : ''}${integerDigits || '0'}${fractionDigits ? `.${fractionDigits}` : ''}`;
}

function date(value: unknown): string {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) throw new InvalidValue('must be a date "YYYY-MM-DD" (DATE)');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || !isCalendarDate(year, month, day)) {
    throw new InvalidValue('out of range for DATE (0001-01-01 .. 9999-12-31)');
  }
  return value as string;
}

/** RFC 3339 with a zone; normalized to UTC with up to nanosecond precision. */
function timestamp(value: unknown): string {
  const match = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  if (!match) {
    throw new InvalidValue(
      'must be an RFC 3339 timestamp with a zone, e.g. "2024-05-01T12:00:00.123456789Z" (TIMESTAMP)',
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  if (
    !isCalendarDate(year as number, month as number, day as number) ||
    (hour as number) > 23 ||
    (minute as number) > 59 ||
    (second as number) > 59
  ) {
    throw new InvalidValue('not a valid date and time (TIMESTAMP)');
  }
  const offsetMinutes = match[8]
    ? 0
    : (match[9] === '-' ? -1 : 1) * (Number(match[10]) * 60 + Number(match[11]));
  const utc = new Date(0);
  utc.setUTCFullYear(year as number, (month as number) - 1, day as number);
  utc.setUTCHours(hour as number, (minute as number) - offsetMinutes, second as number, 0);
  const utcYear = utc.getUTCFullYear();
  if (utcYear < 1 || utcYear > 9999) {
    throw new InvalidValue('out of range for TIMESTAMP (0001-01-01 .. 9999-12-31 UTC)');
  }
  const fraction = match[7] ? `.${match[7]}` : '';
  return `${String(utcYear).padStart(4, '0')}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}T${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}${fraction}Z`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days;
}
