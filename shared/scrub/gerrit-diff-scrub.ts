import { UpstreamError } from '../errors';
import type { DiffContent, DiffInfo } from './gerrit-shapes';
import { cloneJson, MemberSlot, stringSlots } from './json-slots';
import { detectorOf, type ScrubOptions } from './scrub-options';
import type { RedactionCounts } from './secret-detector';
import { scrubSlotGroups, type TextSlot } from './text-slots';

export interface ScrubDiffResult {
  /** A scrubbed copy of the DiffInfo; the input is not changed. */
  value: DiffInfo;
  redactions: RedactionCounts;
}

const LINE_FIELDS = ['ab', 'a', 'b'] as const;

/**
 * Scrubs a Gerrit DiffInfo (GET .../files/{file}/diff).
 *
 * Each side of the file is rebuilt from the diff (side A: `ab` + `a` lines, side B: `ab` + `b`
 * lines, in order) and scanned as one text, so a secret that spans lines (a PEM block) or sits
 * across unchanged and added lines is found; a `skip` starts a new text, since the lines between
 * are not there. Each line keeps its place: a redacted line holds `[REDACTED:<rule>]` where the
 * secret was, so line numbers, comments and `meta_*.lines` stay right. Intraline edits
 * (`edit_a`/`edit_b`) of a region whose lines changed are dropped: their offsets point into the
 * clear text. Every other string (diff_header, file names, links) is scanned as its own text.
 *
 * @example
 *   const { value, redactions } = await scrubDiffInfo(diffInfo)
 */
export async function scrubDiffInfo(
  diff: DiffInfo,
  options: ScrubOptions = {},
): Promise<ScrubDiffResult> {
  const copy = cloneJson(diff);
  if (!Array.isArray(copy.content)) throw unexpectedShape();

  const sideA: TextSlot[][] = [[]];
  const sideB: TextSlot[][] = [[]];
  const owners = new Map<TextSlot, { chunk: DiffContent; field: (typeof LINE_FIELDS)[number] }>();
  const others: TextSlot[] = stringSlots(copy, (owner, key) => owner === copy && key === 'content');

  for (const chunk of copy.content) {
    if (typeof chunk !== 'object' || chunk === null) throw unexpectedShape();
    if (chunk.skip !== undefined) {
      sideA.push([]);
      sideB.push([]);
    }
    for (const field of LINE_FIELDS) {
      const lines = chunk[field];
      if (lines === undefined) continue;
      if (!Array.isArray(lines) || lines.some((line) => typeof line !== 'string')) {
        throw unexpectedShape();
      }
      const slots = lines.map((line, index) => new MemberSlot(lines, index, line));
      for (const slot of slots) owners.set(slot, { chunk, field });
      if (field !== 'b') (sideA[sideA.length - 1] as TextSlot[]).push(...slots);
      if (field !== 'a') (sideB[sideB.length - 1] as TextSlot[]).push(...slots);
    }
    others.push(
      ...stringSlots(
        chunk,
        (owner, key) => owner === chunk && (LINE_FIELDS as readonly unknown[]).includes(key),
      ),
    );
  }

  const groups = [...sideA, ...sideB].filter((group) => group.length > 0);
  const { redactions, changed } = await scrubSlotGroups(
    [...groups, ...others.map((slot) => [slot])],
    detectorOf(options),
  );
  for (const slot of changed) {
    const owner = owners.get(slot);
    if (!owner) continue;
    if (owner.field !== 'b') delete owner.chunk.edit_a;
    if (owner.field !== 'a') delete owner.chunk.edit_b;
  }
  return { value: copy, redactions };
}

function unexpectedShape(): UpstreamError {
  // Fail closed: a diff we cannot read line by line is not passed on unscrubbed.
  return new UpstreamError('Gerrit answered a diff in a shape the gateway does not know');
}
