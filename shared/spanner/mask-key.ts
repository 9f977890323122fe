import type { Principal } from '../auth/principal';
import { evaluatePolicy } from '../policy/evaluate';
import type { ColumnMasks } from './column-mask';

/**
 * Whether one of the statement's `hash` masks applies to this caller, so that the mask key
 * must be read. Callers who see every column in clear (or see only `redact`/`partial` masks)
 * cost no Secrets Manager call at all.
 */
export function hashMaskApplies(masks: ColumnMasks | undefined, principal: Principal): boolean {
  return Object.values(masks ?? {}).some(
    (mask) => mask.as === 'hash' && !evaluatePolicy(mask.unless, principal).allowed,
  );
}
