import type {
  ChangeInfoText,
  ChangeMessageInfo,
  CommentInfo,
  CommentMap,
  CommitInfo,
} from './gerrit-shapes';
import { cloneJson, isObject, MemberSlot, stringSlots } from './json-slots';
import { detectorOf, type ScrubOptions } from './scrub-options';
import type { ScrubJsonResult } from './scrub-json';
import { scrubSlotGroups, type SlotGroup } from './text-slots';

/** A scrubbed copy of the entity (the input is not changed) and the redactions by rule. */
export type ScrubEntityResult<T> = ScrubJsonResult<T>;

/**
 * Scrubs a Gerrit JSON answer: every string value is scanned as its own text, except a
 * comment's `context_lines`, which are lines of one file and are scanned together (a PEM block
 * across them is found). Every string rather than a list of fields, so that text Gerrit adds
 * in a later release, or an option the gateway did not foresee, is never passed on unscanned.
 * Identifiers, dates and hashes do not look like credentials to the detector, so scanning them
 * costs time, not correctness (measured: bench/sections/scrub.ts).
 */
export async function scrubGerritJson<T>(
  value: T,
  options: ScrubOptions = {},
): Promise<ScrubEntityResult<T>> {
  const holder: [T] = [cloneJson(value)];
  const contextGroups: SlotGroup[] = [];
  const slots = stringSlots(holder, (owner, key) => {
    if (key !== 'context_lines' || !isObject(owner)) return false;
    const lines = owner.context_lines;
    if (!Array.isArray(lines)) return false;
    const group: MemberSlot[] = [];
    for (const line of lines) {
      if (isObject(line) && typeof line.context_line === 'string') {
        group.push(new MemberSlot(line, 'context_line', line.context_line));
      }
    }
    contextGroups.push(group);
    return true;
  });
  const { redactions } = await scrubSlotGroups(
    [...contextGroups, ...slots.map((slot) => [slot])],
    detectorOf(options),
  );
  return { value: holder[0], redactions };
}

/**
 * ChangeInfo, or a query's list (or list of lists) of them: subject, change messages
 * (`o=MESSAGES`), each revision's commit subject and message (`o=CURRENT_COMMIT`,
 * `o=ALL_COMMITS`) and `commit_with_footers` (`o=COMMIT_FOOTERS`), and any other string.
 */
export function scrubChangeInfo<T extends ChangeInfoText | ChangeInfoText[] | ChangeInfoText[][]>(
  change: T,
  options: ScrubOptions = {},
): Promise<ScrubEntityResult<T>> {
  return scrubGerritJson(change, options);
}

/** CommitInfo (GET .../revisions/{rev}/commit): subject, message, parents' subjects. */
export function scrubCommitInfo(
  commit: CommitInfo,
  options: ScrubOptions = {},
): Promise<ScrubEntityResult<CommitInfo>> {
  return scrubGerritJson(commit, options);
}

/** ChangeMessageInfo list (GET /changes/{id}/messages) or one message. */
export function scrubChangeMessages<T extends ChangeMessageInfo | ChangeMessageInfo[]>(
  messages: T,
  options: ScrubOptions = {},
): Promise<ScrubEntityResult<T>> {
  return scrubGerritJson(messages, options);
}

/**
 * Inline comments, file path -> CommentInfo list (GET .../comments, .../robotcomments,
 * .../drafts): messages, context lines, robot fix suggestions. File paths (the keys) are kept.
 */
export function scrubCommentMap<T extends CommentMap | CommentInfo[]>(
  comments: T,
  options: ScrubOptions = {},
): Promise<ScrubEntityResult<T>> {
  return scrubGerritJson(comments, options);
}
