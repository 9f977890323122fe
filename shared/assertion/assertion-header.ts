/** The header that carries the signed caller assertion (see AssertionSigner). */
export const ASSERTION_HEADER = 'x-crossgate-assertion';
