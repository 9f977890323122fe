/**
 * Admission for the verified-token cache: a token is remembered on its second verification,
 * not its first. Callers reuse their token (every client library does, for its lifetime), so a
 * returning caller pays one extra signature check, once; a token used once (a bot minting one
 * per call, a burst of one-shot tokens) is never stored, so it neither costs the container a
 * cache entry that lives just long enough to be expensive to collect nor evicts the entries of
 * returning callers. The doorkeeper of TinyLFU (Einziger et al., 2017), made as small as it
 * can be: one direct-mapped table of 32-bit fingerprints, no allocation per token.
 *
 * Only the cost of a token's second verification depends on it: a fingerprint that collides
 * admits a token one verification early, and a slot overwritten by another token delays it
 * by one. Only verified tokens are ever offered, so no caller chooses what lands here.
 */
export class TokenDoorkeeper {
  private readonly fingerprints: Int32Array;
  private readonly mask: number;

  /** `slots` is rounded up to a power of two, at most 65,536 (4096 slots: 16 KB). */
  constructor(slots = 4096) {
    const size = 2 ** Math.min(16, Math.ceil(Math.log2(Math.max(2, slots))));
    this.fingerprints = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Whether `token` was offered before; records it if not. */
  admit(token: string): boolean {
    const fingerprint = signatureFingerprint(token);
    const slot = (fingerprint ^ (fingerprint >>> 16)) & this.mask;
    if (this.fingerprints[slot] === fingerprint) return true;
    this.fingerprints[slot] = fingerprint;
    return false;
  }
}

/** Characters hashed from the token's end: its signature, which differs for every signed token. */
const FINGERPRINT_CHARACTERS = 16;

/** FNV-1a over the signature's last characters, never 0 (the empty slot). */
function signatureFingerprint(token: string): number {
  let hash = 0x811c9dc5;
  for (
    let index = Math.max(0, token.length - FINGERPRINT_CHARACTERS);
    index < token.length;
    index += 1
  ) {
    hash = Math.imul(hash ^ token.charCodeAt(index), 0x01000193);
  }
  return hash | 1;
}
