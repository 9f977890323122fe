import { describe, expect, it } from 'vitest';
import { MAX_TAG_LENGTH, spannerTag } from '../../../../shared/spanner/request-tags';

describe('spannerTag', () => {
  it('happy flow: statement name and correlation id, as they are', () => {
    expect(spannerTag('getSinger', '4bf92f3577b34da6a3ce929d0e0e4736')).toBe(
      'getSinger/4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it("happy flow: long names and ids are shortened to Spanner's 50 characters, ids stay distinguishable", () => {
    const name = 'aVeryLongStatementNameThatGoesOnAndOn';
    const first = spannerTag(name, `${'x'.repeat(100)}-1`);
    const second = spannerTag(name, `${'x'.repeat(100)}-2`);
    expect(first).toHaveLength(MAX_TAG_LENGTH);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^aVeryLongStat[^/]*\/x{23}~[0-9a-f]{8}$/);
  });

  it('happy flow: only printable ASCII and no leading underscore (Spanner would strip it)', () => {
    expect(spannerTag('_hidden', 'id')).toBe('hidden/id');
    expect(spannerTag('s', 'a/b\u00e9')).toBe('s/a-b?');
  });
});
