import { InvalidTokenError } from '../errors';

/**
 * Value of each base64url character (RFC 4648 §5), -1 for anything else, for the check of a
 * segment's last character. Written by hand because base64url decoders (Buffer, atob,
 * aws-jwt-verify) are lenient on purpose: they accept `=` padding and ignore the unused low
 * bits of the last character, which is how one token gets many strings. This runs on every
 * request before the verified-token cache, so it must cost less than the lookup it protects.
 */
const BASE64URL_VALUE = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let index = 0; index < ALPHABET.length; index += 1) {
  BASE64URL_VALUE[ALPHABET.charCodeAt(index)] = index;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface TokenPrecheckOptions {
  /** Tokens longer than this (in bytes) are refused before any parsing. */
  maxTokenBytes: number;
}

/**
 * Refuses what is not exactly one canonical compact JWS before anything else looks at it:
 * larger than `maxTokenBytes`, not three segments, an empty segment, a character outside
 * base64url (padding `=` included), a segment length no encoder produces (4n+1), or a last
 * character whose unused bits are not zero. What passes has one string per token, so the
 * verified-token cache cannot be filled with variants of one good token.
 *
 * @throws InvalidTokenError with a safe, fixed detail
 * @example assertCanonicalJwt(token, { maxTokenBytes: 8192 });
 */
export function assertCanonicalJwt(token: string, options: TokenPrecheckOptions): void {
  assertTokenSize(token, options);
  // One regular expression for the shape (three non-empty base64url segments): V8 runs it
  // several times faster than a loop over the characters.
  if (!COMPACT_JWS.test(token)) {
    throw new InvalidTokenError(
      token.includes('=')
        ? 'token is not in canonical base64url encoding'
        : 'token is not a well-formed JWT',
    );
  }
  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  assertCanonicalTail(token, firstDot, firstDot);
  assertCanonicalTail(token, secondDot, secondDot - firstDot - 1);
  assertCanonicalTail(token, token.length, token.length - secondDot - 1);
}

/**
 * The size check alone: cheap enough to run before the verified-token cache is even asked,
 * so that no lookup compares an oversized string.
 */
export function assertTokenSize(token: string, options: TokenPrecheckOptions): void {
  // Every accepted character is ASCII, so length in UTF-16 units is the byte length; a
  // non-ASCII character fails the shape check anyway.
  if (token.length > options.maxTokenBytes) {
    throw new InvalidTokenError(`token is larger than ${options.maxTokenBytes} bytes`);
  }
}

/**
 * The segment ending at `end` (exclusive), `length` characters long: a length an encoder
 * produces (not 4n+1), and zero unused bits in its last character.
 */
function assertCanonicalTail(token: string, end: number, length: number): void {
  const rest = length % 4;
  if (rest === 0) return;
  if (rest === 1) throw new InvalidTokenError('token is not in canonical base64url encoding');
  // 2 characters carry 8 bits (4 unused), 3 carry 16 (2 unused).
  const unusedBitsMask = rest === 2 ? 0x0f : 0x03;
  const last = BASE64URL_VALUE[token.charCodeAt(end - 1)] ?? -1;
  if ((last & unusedBitsMask) !== 0) {
    throw new InvalidTokenError('token is not in canonical base64url encoding');
  }
}
