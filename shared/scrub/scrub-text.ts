import { detectorOf, type ScrubOptions } from './scrub-options';
import type { RedactionCounts } from './secret-detector';
import { scrubSlotGroups, StringSlot } from './text-slots';

export interface ScrubTextResult {
  text: string;
  /** Redactions by rule; `{}` when nothing was found. */
  redactions: RedactionCounts;
}

/**
 * Replaces every secret in `text` with `[REDACTED:<rule>]`; nothing else changes.
 *
 * @example
 *   await scrubText('token ghp_0123...') // { text: 'token [REDACTED:github]', redactions: { github: 1 } }
 */
export async function scrubText(
  text: string,
  options: ScrubOptions = {},
): Promise<ScrubTextResult> {
  const slot = new StringSlot(text);
  const { redactions } = await scrubSlotGroups([[slot]], detectorOf(options));
  return { text: slot.text, redactions };
}
