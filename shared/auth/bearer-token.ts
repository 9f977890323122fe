/** `B`/`b`, `e`, `a`, `r`, `e`, `r` in lower case: ASCII letters, compared with bit 0x20 set. */
const SCHEME = [0x62, 0x65, 0x61, 0x72, 0x65, 0x72] as const;
const SPACE = 0x20;

/**
 * The token of an `Authorization: Bearer <token>` value that is already trimmed: the scheme
 * in any case, one or more spaces, then one or more characters none of which is a space.
 * Anything else gives undefined.
 *
 * Exactly what `/^Bearer[ ]+([^ ]+)$/i` captures (a property test compares them), by hand
 * because the expression scans the whole ~1 KB token character by character on every request:
 * 0.57 against 0.05 µs (issue 16). `indexOf` looks for the space with a vectorised search.
 */
export function bearerToken(header: string): string | undefined {
  if (header.length < SCHEME.length + 2) return undefined;
  for (let index = 0; index < SCHEME.length; index += 1) {
    // Only 'B' and 'b' give 0x62 with bit 0x20 set, and so on for each letter.
    if ((header.charCodeAt(index) | 0x20) !== SCHEME[index]) return undefined;
  }
  let start = SCHEME.length;
  while (header.charCodeAt(start) === SPACE) start += 1;
  if (start === SCHEME.length || start === header.length) return undefined;
  return header.indexOf(' ', start) === -1 ? header.slice(start) : undefined;
}
