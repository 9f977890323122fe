/**
 * The parts of Gerrit's REST entities that carry code or free text, as Gerrit documents them
 * (Documentation/rest-api-changes.txt). Members not named here pass through untouched by type,
 * and are still scrubbed when they hold strings (see gerrit-scrub.ts).
 */

/** DiffContent: one region of a file diff. Lines carry no trailing newline. */
export interface DiffContent {
  /** Lines only on side A (deleted). */
  a?: string[];
  /** Lines only on side B (added). */
  b?: string[];
  /** Lines on both sides (unchanged). */
  ab?: string[];
  /** Intraline edits as [skip, mark] character pairs over the `a` lines (newlines counted). */
  edit_a?: [number, number][];
  edit_b?: [number, number][];
  /** Lines left out on both sides (a large file's common lines). */
  skip?: number;
  common?: boolean;
  [member: string]: unknown;
}

/** DiffInfo: GET /changes/{id}/revisions/{rev}/files/{file}/diff. */
export interface DiffInfo {
  meta_a?: { name: string; content_type: string; lines?: number; [member: string]: unknown };
  meta_b?: { name: string; content_type: string; lines?: number; [member: string]: unknown };
  change_type?: string;
  diff_header?: string[];
  content: DiffContent[];
  binary?: boolean;
  [member: string]: unknown;
}

/** CommentInfo: inline comments (GET .../comments), also robot comments' extra members. */
export interface CommentInfo {
  id?: string;
  path?: string;
  line?: number;
  message?: string;
  /** With `enable-context`: the commented source lines. */
  context_lines?: { line_number: number; context_line: string }[];
  [member: string]: unknown;
}

/** GET /changes/{id}/comments: file path -> comments. */
export type CommentMap = Record<string, CommentInfo[]>;

/** ChangeMessageInfo: a message on a change (GET /changes/{id}/messages, o=MESSAGES). */
export interface ChangeMessageInfo {
  id: string;
  message: string;
  [member: string]: unknown;
}

/** CommitInfo: GET .../revisions/{rev}/commit, and RevisionInfo.commit. */
export interface CommitInfo {
  commit?: string;
  subject?: string;
  message?: string;
  parents?: { commit: string; subject?: string; [member: string]: unknown }[];
  [member: string]: unknown;
}

/** ChangeInfo with the members that hold text: subject, messages, revisions' commits. */
export interface ChangeInfoText {
  subject?: string;
  messages?: ChangeMessageInfo[];
  revisions?: Record<
    string,
    { commit?: CommitInfo; commit_with_footers?: string; [member: string]: unknown }
  >;
  [member: string]: unknown;
}
