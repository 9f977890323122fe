/**
 * When a backend call must be over (epoch ms): the lesser of its own timeout and the Lambda's
 * remaining time minus a margin, so that a 504 problem can still be answered before Lambda
 * cuts the invocation off.
 */
export function requestDeadline(options: {
  now: number;
  timeoutMs: number;
  lambdaRemainingMs: number;
  marginMs: number;
}): number {
  const budget = Math.min(options.timeoutMs, options.lambdaRemainingMs - options.marginMs);
  return options.now + Math.max(0, budget);
}

/**
 * The deadline of a backend call made for this invocation. Outside Lambda (a context without
 * a clock) only the timeout applies.
 */
export function invocationDeadline(
  context: { getRemainingTimeInMillis?: () => number },
  timeoutMs: number,
  marginMs: number,
  now: number = Date.now(),
): number {
  const lambdaRemainingMs =
    typeof context.getRemainingTimeInMillis === 'function'
      ? context.getRemainingTimeInMillis()
      : Number.POSITIVE_INFINITY;
  return requestDeadline({ now, timeoutMs, lambdaRemainingMs, marginMs });
}
