/** The parts of Gerrit's REST entities crossgate reads or writes (Documentation/rest-api-*.txt). */

export interface GroupInfo {
  id: string;
  name?: string;
  group_id?: number;
  [member: string]: unknown;
}

export type NotifyHandling = 'NONE' | 'OWNER' | 'OWNER_REVIEWERS' | 'ALL';

export interface CommentRange {
  start_line: number;
  start_character: number;
  end_line: number;
  end_character: number;
}

export interface CommentInput {
  message: string;
  line?: number;
  range?: CommentRange;
  side?: 'REVISION' | 'PARENT';
  in_reply_to?: string;
  unresolved?: boolean;
}

/** The subset of ReviewInput crossgate accepts; identity fields (on_behalf_of) never pass. */
export interface ReviewInput {
  message?: string;
  labels?: Record<string, number>;
  tag?: string;
  notify?: NotifyHandling;
  comments?: Record<string, CommentInput[]>;
  reviewers?: {
    reviewer: string;
    state?: 'REVIEWER' | 'CC' | 'REMOVED';
    confirmed?: boolean;
    notify?: NotifyHandling;
  }[];
  ready?: boolean;
  work_in_progress?: boolean;
  drafts?: 'PUBLISH' | 'PUBLISH_ALL_REVISIONS' | 'KEEP';
  omit_duplicate_comments?: boolean;
}

export interface SubmitInput {
  notify?: NotifyHandling;
}
