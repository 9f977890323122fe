/**
 * When a forwarded call must be over (epoch ms): the lesser of the service's timeout and the
 * Lambda's remaining time minus a margin, so that a 504 problem can still be answered before
 * Lambda cuts the invocation off.
 */
export function requestDeadline(options: {
  now: number;
  serviceTimeoutMs: number;
  lambdaRemainingMs: number;
  marginMs: number;
}): number {
  const budget = Math.min(options.serviceTimeoutMs, options.lambdaRemainingMs - options.marginMs);
  return options.now + Math.max(0, budget);
}
