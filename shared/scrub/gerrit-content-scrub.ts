import { ForbiddenError, UpstreamError } from '../errors';
import type { ScrubOptions } from './scrub-options';
import { scrubText } from './scrub-text';
import type { RedactionCounts } from './secret-detector';

export interface FileContentScrubOptions extends ScrubOptions {
  /**
   * What to do with a file that is not UTF-8 text (a keystore, an image, a .p12): `withhold`
   * (default) refuses it with 403, since it cannot be scanned; `pass` returns it unchanged.
   */
  binary?: 'withhold' | 'pass';
}

export interface ScrubFileContentResult {
  /** Base64 of the scrubbed file; the input itself when nothing was found. */
  content: string;
  redactions: RedactionCounts;
  binary: boolean;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Scrubs a file as Gerrit's GET .../files/{file}/content returns it: the body is the file in
 * base64 (`X-FYI-Content-Encoding: base64`). Decodes, scans the whole file as one text (so a
 * service-account key file is found by the gcp rule, a PEM block across lines by privatekey),
 * re-encodes.
 *
 * @example
 *   const { content, redactions } = await scrubFileContent(await response.text())
 */
export async function scrubFileContent(
  base64: string,
  options: FileContentScrubOptions = {},
): Promise<ScrubFileContentResult> {
  const compact = base64.replace(/\s+/g, '');
  if (!BASE64.test(compact)) {
    throw new UpstreamError('Gerrit answered file content that is not base64');
  }
  const bytes = Buffer.from(compact, 'base64');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    if ((options.binary ?? 'withhold') === 'pass') {
      return { content: base64, redactions: {}, binary: true };
    }
    throw new ForbiddenError(
      'this file is not text, so it cannot be scanned for secrets, and is withheld',
    );
  }
  const scrubbed = await scrubText(text, options);
  if (Object.keys(scrubbed.redactions).length === 0) {
    return { content: base64, redactions: {}, binary: false };
  }
  return {
    content: Buffer.from(scrubbed.text, 'utf8').toString('base64'),
    redactions: scrubbed.redactions,
    binary: false,
  };
}
