import { createHmac } from 'node:crypto';
import * as z from 'zod';
import type { Principal } from '../auth/principal';
import { ConfigurationError, InternalError } from '../errors';
import { evaluatePolicy } from '../policy/evaluate';
import { requirementSchema } from '../policy/requirement-schema';
import type { ResultColumn } from './result-encoding';

/**
 * How a masked value is shown:
 * - `redact`: the fixed marker `[MASKED]`, whatever the value (null included, so that not even
 *   the presence of a value shows);
 * - `hash`: `hmac:` + the first 32 hex digits (128 bits) of HMAC-SHA256 under the deployment's
 *   mask key, over the value's JSON form. Equal values give equal hashes for as long as the key
 *   stays, so results can still be joined and counted; without the key a hash cannot be
 *   checked against a guess (a plain hash of an email can);
 * - `partial`: `***` and a documented suffix: for an email (`local@domain`) `***@domain`; for any
 *   other text of 8 characters or more its last 4 characters; shorter text shows nothing but
 *   `***`, since 4 of fewer than 8 characters would be most of it.
 * For `hash` and `partial`, null stays null (there is nothing to hide), ARRAY values are masked
 * element by element, and values that have no text form (JSON objects, STRUCTs, BOOL) are
 * redacted.
 */
export const maskStyleSchema = z.enum(['redact', 'hash', 'partial']);
export type MaskStyle = z.infer<typeof maskStyleSchema>;

/** One column's mask: shown as `as` to every caller who does not meet `unless`. */
export const columnMaskSchema = z.strictObject({
  /** Who sees the clear value, as a policy requirement: `{ "group": "admins" }`. */
  unless: requirementSchema,
  as: maskStyleSchema,
});

/**
 * A statement's `mask` section: result column name -> mask. Names match result columns without
 * regard to case, as Spanner's own identifiers do.
 *
 * @example
 *   "mask": { "Email": { "unless": { "group": "admins" }, "as": "partial" } }
 */
export const columnMasksSchema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/), columnMaskSchema)
  .superRefine((masks, ctx) => {
    const seen = new Set<string>();
    for (const name of Object.keys(masks)) {
      const folded = name.toLowerCase();
      if (seen.has(folded)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `column ${name} is masked twice` });
      }
      seen.add(folded);
    }
  });

export type ColumnMasks = z.infer<typeof columnMasksSchema>;

export const MASKED = '[MASKED]';
export const HASH_PREFIX = 'hmac:';
const HASH_HEX_DIGITS = 32;
const PARTIAL_PREFIX = '***';
const PARTIAL_SUFFIX_LENGTH = 4;
const PARTIAL_MIN_LENGTH = 8;
/** A shorter key would make hashes of low-entropy values (emails) cheaper to guess. */
const MIN_HASH_KEY_BYTES = 32;
const EMAIL = /^[^@\s]+@([^@\s]+)$/;

export interface MaskResult {
  rows: unknown[][];
  /** Names of the columns that were masked for this caller (for the audit event). */
  maskedColumns: string[];
}

/**
 * Applies a statement's masks to its result for one caller, before the result is encoded
 * into the response: every row, every column whose mask's `unless` the caller does not meet.
 * Rows are in their documented JSON forms (result-encoding.ts); the input is not changed.
 *
 * Fails closed: a mask whose column is not in the result (renamed by an alias, or a typo)
 * is a ConfigurationError rather than a result with the column in clear under another name.
 * No error carries a value: only column and statement names.
 *
 * @example
 *   maskRows(columns, rows, statement.mask, principal, maskKey)
 */
export function maskRows(
  columns: readonly ResultColumn[],
  rows: readonly (readonly unknown[])[],
  masks: ColumnMasks | undefined,
  principal: Principal,
  hashKey?: string | Uint8Array,
): MaskResult {
  if (!masks || Object.keys(masks).length === 0) {
    return { rows: rows.map((row) => [...row]), maskedColumns: [] };
  }
  const styles = new Map<number, MaskStyle>();
  for (const [name, mask] of Object.entries(masks)) {
    const indexes = columns.flatMap((column, index) =>
      column.name.toLowerCase() === name.toLowerCase() ? [index] : [],
    );
    if (indexes.length === 0) {
      throw new ConfigurationError(
        `mask names column ${name}, which the statement's result does not have`,
      );
    }
    if (evaluatePolicy(mask.unless, principal).allowed) continue;
    for (const index of indexes) styles.set(index, mask.as);
  }
  if (styles.size === 0) return { rows: rows.map((row) => [...row]), maskedColumns: [] };

  const key = [...styles.values()].includes('hash') ? checkedKey(hashKey) : undefined;
  const masked = rows.map((row) =>
    row.map((value, index) => {
      const style = styles.get(index);
      if (style === undefined) return value;
      try {
        return maskValue(value, style, key);
      } catch {
        // No cause: whatever failed may quote the value.
        throw new InternalError(`masking column ${columns[index]?.name ?? index} failed`);
      }
    }),
  );
  return {
    rows: masked,
    maskedColumns: [...styles.keys()].map((index) => columns[index]?.name ?? String(index)),
  };
}

/** One value in its JSON form, masked. Exported for tests and for masking outside rows. */
export function maskValue(value: unknown, style: MaskStyle, hashKey?: Buffer): unknown {
  if (style === 'redact') return MASKED;
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((element) => maskValue(element, style, hashKey));
  if (style === 'hash') {
    if (!hashKey) throw new ConfigurationError('mask style hash needs the deployment mask key');
    const digest = createHmac('sha256', hashKey).update(JSON.stringify(value)).digest('hex');
    return HASH_PREFIX + digest.slice(0, HASH_HEX_DIGITS);
  }
  // INT64 and NUMERIC arrive as strings, FLOAT64 as numbers: both have a text form.
  const text =
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  if (text === undefined) return MASKED;
  const email = EMAIL.exec(text);
  if (email) return `${PARTIAL_PREFIX}@${email[1]}`;
  if (text.length < PARTIAL_MIN_LENGTH) return PARTIAL_PREFIX;
  return PARTIAL_PREFIX + text.slice(-PARTIAL_SUFFIX_LENGTH);
}

function checkedKey(hashKey: string | Uint8Array | undefined): Buffer {
  const key =
    typeof hashKey === 'string' ? Buffer.from(hashKey, 'utf8') : hashKey && Buffer.from(hashKey);
  if (!key || key.length < MIN_HASH_KEY_BYTES) {
    throw new ConfigurationError(
      `mask style hash needs a deployment mask key of at least ${MIN_HASH_KEY_BYTES} bytes`,
    );
  }
  return key;
}
