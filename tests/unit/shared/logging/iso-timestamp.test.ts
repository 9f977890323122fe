import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from '../../../../shared/logging/iso-timestamp';

describe('isoTimestamp', () => {
  it("property: equals Date's toISOString for any instant Date can hold", () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it('equals it across midnight, the epoch and leap days, in any order', () => {
    const instants = [
      Date.UTC(2026, 11, 2, 23, 59, 59, 999),
      Date.UTC(2026, 11, 3, 0, 0, 0, 0),
      0,
      -1,
      Date.UTC(2024, 1, 29, 12, 0, 0, 7),
      Date.UTC(2026, 11, 2, 23, 59, 59, 998),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
    ];
    for (const ms of instants) expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
  });
});
