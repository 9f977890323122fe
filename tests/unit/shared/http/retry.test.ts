import { describe, expect, it } from 'vitest';
import { retrying, type RetryPolicy } from '../../../../shared/http/retry';

const policy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  jitter: 'none',
  minAttemptMs: 50,
};

/** A clock that moves only when the loop waits, so the test runs in no real time. */
function fakeClock(start = 1_000_000) {
  let now = start;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}

const call = (deadline: number) => ({ deadline, signal: new AbortController().signal });

describe('retrying', () => {
  it('happy flow: a value on the second attempt, after the policy backoff', async () => {
    const clock = fakeClock();
    let attempts = 0;
    const value = await retrying(
      policy,
      call(clock.now() + 10_000),
      async () => {
        attempts += 1;
        return attempts < 2 ? { giveUp: () => 'gave up' } : { value: 'ok' };
      },
      clock,
    );
    expect(value).toBe('ok');
    expect(clock.waits).toEqual([100]);
  });

  it('error flow: attempts run out and giveUp decides (here it throws)', async () => {
    const clock = fakeClock();
    await expect(
      retrying(
        policy,
        call(clock.now() + 10_000),
        async () => ({
          giveUp: () => {
            throw new Error('unreachable backend');
          },
        }),
        clock,
      ),
    ).rejects.toThrow('unreachable backend');
    expect(clock.waits).toEqual([100, 200]);
  });

  it('error flow: no retry starts when the wait would leave less than minAttemptMs', async () => {
    const clock = fakeClock();
    let attempts = 0;
    const value = await retrying(
      policy,
      call(clock.now() + 120),
      async () => {
        attempts += 1;
        return { giveUp: () => 'deadline' };
      },
      clock,
    );
    expect(value).toBe('deadline');
    expect(attempts).toBe(1);
  });

  it('happy flow: Retry-After raises the wait above the backoff, never below it', async () => {
    const clock = fakeClock();
    let attempts = 0;
    await retrying(
      policy,
      call(clock.now() + 10_000),
      async () => {
        attempts += 1;
        return attempts === 1 ? { giveUp: () => 0, retryAfterMs: 2000 } : { value: 1 };
      },
      clock,
    );
    expect(clock.waits).toEqual([2000]);
  });

  it('error flow: an aborted call ends the wait and gives up', async () => {
    const controller = new AbortController();
    const pending = retrying(
      { ...policy, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      { deadline: Date.now() + 600_000, signal: controller.signal },
      async () => ({ giveUp: () => 'aborted' }),
    );
    controller.abort();
    expect(await pending).toBe('aborted');
  });
});
