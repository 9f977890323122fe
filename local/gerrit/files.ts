import { createHash } from 'node:crypto';
import { createTwoFilesPatch, diffLines } from 'diff';
import {
  gerritTimestamp,
  type Account,
  type Change,
  type FileChange,
  type Revision,
} from './model';

/**
 * Files, diffs and commits of a revision, as Gerrit's REST API shows them
 * (Documentation/rest-api-changes.txt: FileInfo, DiffInfo, CommitInfo). Line diffs come
 * from jsdiff (`diff`), the same Myers algorithm git uses by default.
 */

/** Gerrit's magic file: the commit message, listed first among a revision's files. */
export const COMMIT_MSG = '/COMMIT_MSG';

function lines(text: string | null): string[] {
  if (text === null || text === '') return [];
  const split = text.split('\n');
  if (split.at(-1) === '') split.pop();
  return split;
}

function size(text: string | null): number {
  return text === null ? 0 : Buffer.byteLength(text);
}

/** git's blob id, for the `index` line of the diff header. */
function blobId(text: string | null): string {
  if (text === null) return '0000000';
  const body = Buffer.from(text);
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]))
    .digest('hex')
    .slice(0, 7);
}

function counts(file: Pick<FileChange, 'before' | 'after'>): { inserted: number; deleted: number } {
  let inserted = 0;
  let deleted = 0;
  for (const part of diffLines(file.before ?? '', file.after ?? '')) {
    if (part.added) inserted += part.count;
    if (part.removed) deleted += part.count;
  }
  return { inserted, deleted };
}

/** The commit message as a file: Gerrit shows it with a header of parent, author and date. */
export function commitMessageFile(
  change: Change,
  author: Account | undefined,
  revision: Revision,
): FileChange {
  const header = [
    `Parent:     ${revision.parentSha.slice(0, 8)} (Initial commit)`,
    `Author:     ${author?.name ?? 'unknown'} <${author?.email ?? 'unknown'}>`,
    `AuthorDate: ${revision.created.toUTCString()}`,
    `Commit:     ${author?.name ?? 'unknown'} <${author?.email ?? 'unknown'}>`,
    `CommitDate: ${revision.created.toUTCString()}`,
    '',
  ].join('\n');
  return { path: COMMIT_MSG, before: null, after: `${header}${change.commitMessage}` };
}

/** FileInfo: status omitted for modified files, line counts omitted when zero (as Gerrit). */
export function fileInfo(file: FileChange, skipDiffstat = false): Record<string, unknown> {
  const { inserted, deleted } = counts(file);
  return {
    ...(file.before === null ? { status: 'A' } : file.after === null ? { status: 'D' } : {}),
    ...(!skipDiffstat && inserted > 0 ? { lines_inserted: inserted } : {}),
    ...(!skipDiffstat && deleted > 0 ? { lines_deleted: deleted } : {}),
    size_delta: size(file.after) - size(file.before),
    size: size(file.after),
  };
}

/** Insertions and deletions of a change (ChangeInfo), summed over its files. */
export function diffstat(change: Change): { insertions: number; deletions: number } {
  return change.files.reduce(
    (sum, file) => {
      const { inserted, deleted } = counts(file);
      return { insertions: sum.insertions + inserted, deletions: sum.deletions + deleted };
    },
    { insertions: 0, deletions: 0 },
  );
}

function contentType(path: string): string {
  if (path === COMMIT_MSG) return 'text/x-gerrit-commit-message';
  if (path.endsWith('.ts')) return 'text/x-typescript';
  if (path.endsWith('.md')) return 'text/x-markdown';
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.sh')) return 'text/x-sh';
  return 'text/plain';
}

function changeTypeOf(file: FileChange): 'ADDED' | 'DELETED' | 'MODIFIED' {
  return file.before === null ? 'ADDED' : file.after === null ? 'DELETED' : 'MODIFIED';
}

/** git's header lines of one file's diff (DiffInfo's `diff_header`). */
function gitHeader(file: FileChange): string[] {
  const changeType = changeTypeOf(file);
  return [
    `diff --git a/${file.path} b/${file.path}`,
    ...(changeType === 'ADDED' ? ['new file mode 100644'] : []),
    ...(changeType === 'DELETED' ? ['deleted file mode 100644'] : []),
    `index ${blobId(file.before)}..${blobId(file.after)}${changeType === 'MODIFIED' ? ' 100644' : ''}`,
    `--- ${file.before === null ? '/dev/null' : `a/${file.path}`}`,
    `+++ ${file.after === null ? '/dev/null' : `b/${file.path}`}`,
  ];
}

/** DiffInfo: meta of both sides, the git header, and content as ab / a+b blocks. */
export function diffInfo(file: FileChange): Record<string, unknown> {
  const changeType = changeTypeOf(file);
  const meta = (text: string | null) => ({
    name: file.path,
    content_type: contentType(file.path),
    lines: lines(text).length,
  });
  const content: Record<string, string[]>[] = [];
  for (const part of diffLines(file.before ?? '', file.after ?? '')) {
    const partLines = lines(part.value);
    const last = content.at(-1);
    if (part.added && last && 'a' in last && !('b' in last)) last.b = partLines;
    else if (part.added) content.push({ b: partLines });
    else if (part.removed) content.push({ a: partLines });
    else content.push({ ab: partLines });
  }
  return {
    ...(file.before !== null ? { meta_a: meta(file.before) } : {}),
    ...(file.after !== null ? { meta_b: meta(file.after) } : {}),
    change_type: changeType,
    diff_header: gitHeader(file),
    content,
  };
}

/** A unified diff of the whole revision, as `git format-patch` writes it (Get Patch). */
export function formatPatch(
  change: Change,
  revision: Revision,
  author: Account | undefined,
): string {
  const header = [
    `From ${revision.sha} Mon Sep 17 00:00:00 2001`,
    `From: ${author?.name ?? 'unknown'} <${author?.email ?? 'unknown'}>`,
    `Date: ${revision.created.toUTCString()}`,
    `Subject: [PATCH] ${change.commitMessage}`,
    '---',
    '',
  ].join('\n');
  const patches = change.files.map((file) => {
    // jsdiff writes a `===` line and its own ---/+++ lines: keep only its hunks, after git's header.
    const hunks = createTwoFilesPatch(
      file.path,
      file.path,
      file.before ?? '',
      file.after ?? '',
      undefined,
      undefined,
      {
        context: 3,
      },
    )
      .split('\n')
      .slice(3)
      .join('\n');
    return `${gitHeader(file).join('\n')}\n${hunks}`;
  });
  return `${header}${patches.join('')}`;
}

/** CommitInfo (Get Commit; `commit` only there, not inside RevisionInfo). */
export function commitInfo(
  change: Change,
  revision: Revision,
  author: Account | undefined,
  withSha: boolean,
): Record<string, unknown> {
  const person = {
    name: author?.name ?? 'unknown',
    email: author?.email ?? 'unknown',
    date: gerritTimestamp(revision.created),
    tz: 0,
  };
  return {
    ...(withSha ? { commit: revision.sha } : {}),
    parents: [{ commit: revision.parentSha, subject: 'Initial commit' }],
    author: person,
    committer: person,
    subject: change.subject,
    message: change.commitMessage,
  };
}
