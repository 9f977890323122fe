/** Time kept back from the Lambda's remaining time, to answer with a problem instead of dying. */
const SAFETY_MARGIN_MS = 300;

/**
 * When the Gerrit calls of one request must be over: the configured timeout, cut shorter by
 * the time the Lambda has left.
 */
export function deadlineFor(
  context: { getRemainingTimeInMillis?: () => number },
  timeoutMs: number,
  now: number = Date.now(),
): number {
  const remaining =
    typeof context.getRemainingTimeInMillis === 'function'
      ? context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS
      : timeoutMs;
  return now + Math.max(0, Math.min(timeoutMs, remaining));
}
