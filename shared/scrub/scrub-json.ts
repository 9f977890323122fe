import { detectorOf, type ScrubOptions } from './scrub-options';
import type { RedactionCounts } from './secret-detector';
import { cloneJson, stringSlots } from './json-slots';
import { scrubSlotGroups, StringSlot } from './text-slots';

export interface ScrubJsonResult<T> {
  /** A scrubbed copy; the input is not changed. */
  value: T;
  redactions: RedactionCounts;
}

/**
 * Scrubs every string value of a parsed JSON value (member names are kept), each as an
 * independent text, in one detector call.
 *
 * @example
 *   await scrubJsonValue({ note: 'key ghp_...', n: 1 }) // { value: { note: 'key [REDACTED:github]', n: 1 }, ... }
 */
export async function scrubJsonValue<T>(
  value: T,
  options: ScrubOptions = {},
): Promise<ScrubJsonResult<T>> {
  // The holder lets a bare string (a JSON document that is one string) be a member too.
  const holder: [T] = [cloneJson(value)];
  const slots = stringSlots(holder);
  const { redactions } = await scrubSlotGroups(
    slots.map((slot) => [slot]),
    detectorOf(options),
  );
  return { value: holder[0], redactions };
}

// A JSON string token. In valid JSON a `"` outside a string cannot occur, so on a document that
// JSON.parse accepted this finds exactly its string tokens, member names included.
const STRING_TOKEN = /"(?:[^"\\]|\\.)*"/g;
// What follows a member name: optional whitespace, then `:`.
const NAME_FOLLOWS = /^[ \t\r\n]*:/;

/**
 * Scrubs every string value of a JSON text in place: only the string tokens that held a secret
 * are rewritten, so formatting, member order and numbers (even ones JavaScript cannot hold
 * exactly) stay byte for byte. Throws SyntaxError when `text` is not JSON.
 */
export async function scrubJsonText(
  text: string,
  options: ScrubOptions = {},
): Promise<{ text: string; redactions: RedactionCounts }> {
  JSON.parse(text);
  const tokens: { start: number; end: number; slot: StringSlot }[] = [];
  for (const match of text.matchAll(STRING_TOKEN)) {
    const start = match.index;
    const end = start + match[0].length;
    if (NAME_FOLLOWS.test(text.slice(end, end + 64))) continue;
    const decoded = JSON.parse(match[0]) as string;
    tokens.push({ start, end, slot: new StringSlot(decoded) });
  }
  const { redactions, changed } = await scrubSlotGroups(
    tokens.map((token) => [token.slot]),
    detectorOf(options),
  );
  if (changed.size === 0) return { text, redactions };
  let out = '';
  let cursor = 0;
  for (const token of tokens) {
    if (!changed.has(token.slot)) continue;
    out += text.slice(cursor, token.start) + JSON.stringify(token.slot.text);
    cursor = token.end;
  }
  return { text: out + text.slice(cursor), redactions };
}
