import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenDoorkeeper } from '../../../../shared/auth/token-doorkeeper';

describe('TokenDoorkeeper', () => {
  it('admits a token the second time it is offered, not the first', () => {
    const doorkeeper = new TokenDoorkeeper();
    expect(doorkeeper.admit('h.p.first-signature-abcdefghijklmnop')).toBe(false);
    expect(doorkeeper.admit('h.p.second-signature-abcdefghijklmno')).toBe(false);
    expect(doorkeeper.admit('h.p.first-signature-abcdefghijklmnop')).toBe(true);
    expect(doorkeeper.admit('h.p.second-signature-abcdefghijklmno')).toBe(true);
  });

  it('property: any token offered twice in a row is admitted the second time', () => {
    const doorkeeper = new TokenDoorkeeper(64);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 400 }), (token) => {
        doorkeeper.admit(token);
        expect(doorkeeper.admit(token)).toBe(true);
      }),
    );
  });

  it('forgets: a table of 64 slots does not remember 10,000 distinct tokens', () => {
    const doorkeeper = new TokenDoorkeeper(64);
    const tokens = Array.from({ length: 10_000 }, (_, index) => `h.p.signature-${index}`);
    for (const token of tokens) doorkeeper.admit(token);
    const remembered = tokens.filter((token) => doorkeeper.admit(token)).length;
    // At most one token per slot can be remembered (a few more admit by collision).
    expect(remembered).toBeLessThan(200);
  });
});
