import { InternalError } from '../errors';
import {
  redactionMarker,
  type RedactionCounts,
  type SecretDetector,
  type SecretFinding,
} from './secret-detector';

/**
 * One string somewhere in an answer (a diff line, a JSON string value, a commit message) that
 * can be read and replaced in place.
 */
export interface TextSlot {
  readonly text: string;
  replace(text: string): void;
}

/**
 * Slots whose texts are consecutive lines of one document (the lines of a diff side, a
 * comment's context lines): they are scanned joined with `\n`, so a secret spanning lines (a PEM
 * block) is found. Independent texts are groups of one slot each.
 */
export type SlotGroup = readonly TextSlot[];

export interface SlotScrubResult {
  redactions: RedactionCounts;
  /** Slots whose text was replaced. */
  changed: Set<TextSlot>;
}

// Between groups: a NUL between newlines. No secretlint pattern matches across it (their
// character classes exclude NUL), so a secret is never assembled from two independent texts,
// and `\s*` in a rule cannot reach from one text into the next.
const GROUP_SEPARATOR = '\n\u0000\n';

interface Piece {
  slot: TextSlot;
  start: number;
  end: number;
  rule: string;
}

/**
 * Scans all groups in one detector call (its fixed cost, 40-160 µs for secretlint as
 * measured here, is paid once per answer rather than once per string), then replaces in each
 * slot every part of a finding with `[REDACTED:<rule>]`. A finding that spans lines puts a marker on each of its lines, so a
 * diff keeps its line count; it is counted once. A slot that appears in several groups (a
 * diff's common lines belong to both sides) is redacted with the union of what each group found,
 * and a finding reported the same way from both is counted once.
 */
export async function scrubSlotGroups(
  groups: readonly SlotGroup[],
  detector: SecretDetector,
): Promise<SlotScrubResult> {
  const layout: { slot: TextSlot; offset: number }[] = [];
  const parts: string[] = [];
  let offset = 0;
  groups.forEach((group, groupIndex) => {
    if (groupIndex > 0) offset += GROUP_SEPARATOR.length;
    group.forEach((slot, lineIndex) => {
      if (lineIndex > 0) offset += 1;
      layout.push({ slot, offset });
      offset += slot.text.length;
    });
    parts.push(group.map((slot) => slot.text).join('\n'));
  });
  const joined = parts.join(GROUP_SEPARATOR);
  if (layout.length === 0) return { redactions: {}, changed: new Set() };

  let findings: readonly SecretFinding[];
  try {
    findings = await detector(joined);
  } catch {
    // Fail closed, and keep the detector's error (which may quote the text) out of logs.
    throw new InternalError('the secret scanner failed on an answer; it was not passed on');
  }

  const slotIds = new Map<TextSlot, number>();
  const seen = new Set<string>();
  const redactions: RedactionCounts = {};
  const piecesBySlot = new Map<TextSlot, Piece[]>();
  for (const finding of mergeOverlapping(findings)) {
    const pieces = piecesOf(finding, layout);
    if (pieces.length === 0) continue;
    const key = `${finding.rule}|${pieces
      .map((piece) => {
        if (!slotIds.has(piece.slot)) slotIds.set(piece.slot, slotIds.size);
        return `${slotIds.get(piece.slot)}:${piece.start}-${piece.end}`;
      })
      .join(',')}`;
    if (!seen.has(key)) {
      seen.add(key);
      redactions[finding.rule] = (redactions[finding.rule] ?? 0) + 1;
    }
    for (const piece of pieces) {
      const list = piecesBySlot.get(piece.slot) ?? [];
      list.push(piece);
      piecesBySlot.set(piece.slot, list);
    }
  }

  const changed = new Set<TextSlot>();
  for (const [slot, pieces] of piecesBySlot) {
    slot.replace(applyRedactions(slot.text, pieces));
    changed.add(slot);
  }
  return { redactions, changed };
}

/**
 * Findings sorted by start, overlapping ones merged into one, named after the finding that
 * starts first (the longest when two start together): one secret, one marker.
 */
export function mergeOverlapping(findings: readonly SecretFinding[]): SecretFinding[] {
  const sorted = findings
    .filter((finding) => finding.end > finding.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretFinding[] = [];
  for (const finding of sorted) {
    const last = merged[merged.length - 1];
    if (last && finding.start < last.end) {
      last.end = Math.max(last.end, finding.end);
    } else {
      merged.push({ ...finding });
    }
  }
  return merged;
}

/** The parts of a finding (offsets in the joined text) that fall in each slot. */
function piecesOf(finding: SecretFinding, layout: { slot: TextSlot; offset: number }[]): Piece[] {
  const pieces: Piece[] = [];
  // Binary search for the last slot starting at or before the finding.
  let low = 0;
  let high = layout.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((layout[middle] as { offset: number }).offset <= finding.start) low = middle;
    else high = middle - 1;
  }
  for (let index = low; index < layout.length; index += 1) {
    const { slot, offset } = layout[index] as { slot: TextSlot; offset: number };
    if (offset >= finding.end) break;
    const start = Math.max(finding.start, offset) - offset;
    const end = Math.min(finding.end, offset + slot.text.length) - offset;
    if (end > start) pieces.push({ slot, start, end, rule: finding.rule });
  }
  return pieces;
}

/** Replaces each (merged) piece of `text` with its marker, from the end so offsets hold. */
function applyRedactions(text: string, pieces: readonly Piece[]): string {
  const merged = mergeOverlapping(pieces);
  let out = text;
  for (let index = merged.length - 1; index >= 0; index -= 1) {
    const { start, end, rule } = merged[index] as SecretFinding;
    out = out.slice(0, start) + redactionMarker(rule) + out.slice(end);
  }
  return out;
}

/** A slot over a plain string, for callers that scrub a value of their own. */
export class StringSlot implements TextSlot {
  constructor(public text: string) {}

  replace(text: string): void {
    this.text = text;
  }
}
