import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SecretDetector } from '../../../../shared/scrub/secret-detector';
import { scrubSlotGroups, StringSlot } from '../../../../shared/scrub/text-slots';

// A detector over one fixed token, so that what it must find is known exactly: the property
// below checks the offset bookkeeping (joining groups, mapping findings back to slots), which
// is the part of scrubbing written here by hand.
const TOKEN = 'QXSECRETQX';
const tokenDetector: SecretDetector = async (text) =>
  [...text.matchAll(new RegExp(TOKEN, 'g'))].map((match) => ({
    rule: 'token',
    start: match.index,
    end: match.index + TOKEN.length,
  }));

const piece = fc.oneof(fc.string({ maxLength: 12 }), fc.constant(TOKEN), fc.constant('\n'));
const line = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));
const groups = fc.array(fc.array(line, { minLength: 1, maxLength: 5 }), { maxLength: 5 });

describe('scrubSlotGroups', () => {
  it('replaces exactly each token in the slot that holds it, whatever the grouping', async () => {
    await fc.assert(
      fc.asyncProperty(groups, async (texts) => {
        // Prepare
        const slots = texts.map((group) => group.map((text) => new StringSlot(text)));

        // Act
        const { redactions, changed } = await scrubSlotGroups(slots, tokenDetector);

        // Assess
        const expected = texts.map((group) =>
          group.map((text) => text.split(TOKEN).join('[REDACTED:token]')),
        );
        expect(slots.map((group) => group.map((slot) => slot.text))).toEqual(expected);
        const count = texts.flat().reduce((sum, text) => sum + text.split(TOKEN).length - 1, 0);
        expect(redactions).toEqual(count === 0 ? {} : { token: count });
        expect(changed.size).toBe(texts.flat().filter((text) => text.includes(TOKEN)).length);
      }),
      { numRuns: 300 },
    );
  });

  it('a finding across the lines of a group marks each line once and counts once', async () => {
    const lines = [new StringSlot('begin QX'), new StringSlot('SECRET'), new StringSlot('QX end')];
    // The joined text is "begin QX\nSECRET\nQX end"; the finding spans all three lines.
    const detector: SecretDetector = async (text) => [
      { rule: 'split', start: text.indexOf('QX'), end: text.lastIndexOf('QX') + 2 },
    ];
    const { redactions } = await scrubSlotGroups([lines], detector);
    expect(lines.map((slot) => slot.text)).toEqual([
      'begin [REDACTED:split]',
      '[REDACTED:split]',
      '[REDACTED:split] end',
    ]);
    expect(redactions).toEqual({ split: 1 });
  });

  it('a slot shared by two groups is redacted once and its finding counted once', async () => {
    const common = new StringSlot(`x ${TOKEN} y`);
    const { redactions } = await scrubSlotGroups(
      [
        [new StringSlot('side a'), common],
        [common, new StringSlot('side b')],
      ],
      tokenDetector,
    );
    expect(common.text).toBe('x [REDACTED:token] y');
    expect(redactions).toEqual({ token: 1 });
  });
});
