import { detectorOf, type ScrubOptions } from './scrub-options';
import { scrubJsonText } from './scrub-json';
import { scrubText } from './scrub-text';
import type { RedactionCounts } from './secret-detector';

export interface ScrubBodyResult {
  /** The scrubbed body; the same Buffer when nothing was found or the type is not scanned. */
  body: Buffer;
  redactions: RedactionCounts;
  /** How the body was read: `json` (string values), `text`, or `none` (type not scanned). */
  scannedAs: 'json' | 'text' | 'none';
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const TEXT_TYPE =
  /^(?:text\/|application\/(?:[\w.+-]+\+)?xml\b|application\/(?:javascript|x-www-form-urlencoded|graphql|yaml|x-yaml|x-ndjson)\b)/i;

/**
 * Scrubs a response body for an agent (Cloud Run `scrubForAgents`): JSON has every string
 * value scrubbed in place (formatting and numbers kept byte for byte); text is scrubbed as
 * text; other types pass untouched. A body declared as JSON that does not parse is scrubbed as
 * text rather than passed on. Text that is not UTF-8 is read as Latin-1, which maps each byte to
 * one character, so the bytes around a redaction come back unchanged whatever the charset.
 *
 * @example
 *   const { body, redactions } = await scrubResponseBody(buffer, 'application/json')
 */
export async function scrubResponseBody(
  body: Buffer,
  contentType: string | undefined,
  options: ScrubOptions = {},
): Promise<ScrubBodyResult> {
  const isJson = contentType !== undefined && JSON_TYPE.test(contentType);
  if (!isJson && !(contentType !== undefined && TEXT_TYPE.test(contentType))) {
    return { body, redactions: {}, scannedAs: 'none' };
  }
  const detector = detectorOf(options);
  const { text, encoding } = decode(body);
  if (isJson && encoding === 'utf8') {
    try {
      const scrubbed = await scrubJsonText(text, { detector });
      return result(body, scrubbed.text, encoding, scrubbed.redactions, 'json');
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
  const scrubbed = await scrubText(text, { detector });
  return result(body, scrubbed.text, encoding, scrubbed.redactions, 'text');
}

function decode(body: Buffer): { text: string; encoding: 'utf8' | 'latin1' } {
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body),
      encoding: 'utf8',
    };
  } catch {
    return { text: body.toString('latin1'), encoding: 'latin1' };
  }
}

function result(
  original: Buffer,
  text: string,
  encoding: 'utf8' | 'latin1',
  redactions: RedactionCounts,
  scannedAs: 'json' | 'text',
): ScrubBodyResult {
  const changed = Object.keys(redactions).length > 0;
  return { body: changed ? Buffer.from(text, encoding) : original, redactions, scannedAs };
}
