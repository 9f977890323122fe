import { describe, expect, it } from 'vitest';
import { invocationDeadline } from '../../../shared/deadline';

describe('invocationDeadline', () => {
  it('takes the Lambda clock from the context, minus the margin', () => {
    expect(invocationDeadline({ getRemainingTimeInMillis: () => 3000 }, 10_000, 500, 1000)).toBe(
      3500,
    );
    expect(invocationDeadline({ getRemainingTimeInMillis: () => 30_000 }, 4000, 500, 1000)).toBe(
      5000,
    );
  });

  it('outside Lambda (no clock) only the timeout applies', () => {
    expect(invocationDeadline({}, 4000, 500, 1000)).toBe(5000);
  });

  it('never lies in the past', () => {
    expect(invocationDeadline({ getRemainingTimeInMillis: () => 100 }, 4000, 500, 1000)).toBe(1000);
  });
});
