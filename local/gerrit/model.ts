/**
 * The Gerrit stand-in's data: accounts, groups, the access rules of the seeded projects and
 * changes with patch sets, votes and messages. Everything lives in memory for one run.
 */

export interface Account {
  id: number;
  username: string;
  name: string;
  email: string;
  /** Gerrit "HTTP credentials" password. */
  password: string;
}

export interface Group {
  uuid: string;
  name: string;
  groupId: number;
  description?: string;
  /** Usernames; the system groups compute their members instead. */
  members: Set<string>;
}

export interface Revision {
  number: number;
  sha: string;
  /** The commit's parent (the branch tip it was uploaded on). */
  parentSha: string;
  created: Date;
  uploaderId: number;
}

/** One file a change touches: its content before (null: added) and after (null: deleted). */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
}

export type ProjectState = 'ACTIVE' | 'READ_ONLY' | 'HIDDEN';

export interface Project {
  name: string;
  parent?: string;
  description?: string;
  state: ProjectState;
  /** Projects holding only refs/meta/config (All-Projects and permission parents). */
  permissionsOnly: boolean;
  /** Branch name -> tip commit. */
  branches: Record<string, string>;
}

export type ReviewerState = 'REVIEWER' | 'CC';

export interface Approval {
  label: string;
  value: number;
  accountId: number;
  /** The account that really sent the vote (the RunAs caller's service account), if different. */
  realAccountId: number;
  date: Date;
}

export interface ChangeMessage {
  id: string;
  authorId: number;
  realAuthorId: number;
  date: Date;
  message: string;
  revision: number;
  tag?: string;
}

export interface InlineComment {
  path: string;
  line?: number;
  message: string;
  authorId: number;
  realAuthorId: number;
}

export interface Change {
  number: number;
  project: string;
  branch: string;
  changeId: string;
  subject: string;
  status: 'NEW' | 'MERGED' | 'ABANDONED';
  created: Date;
  updated: Date;
  submitted?: Date;
  submitterId?: number;
  realSubmitterId?: number;
  ownerId: number;
  /** Full commit message of the current patch set (subject, body, Change-Id footer). */
  commitMessage: string;
  /** Files of the change (every patch set shows the current files: enough for a stand-in). */
  files: FileChange[];
  revisions: Revision[];
  /** Account id -> reviewer state, as Set Review's `reviewers` leaves it. */
  reviewers: Map<number, ReviewerState>;
  approvals: Approval[];
  messages: ChangeMessage[];
  comments: InlineComment[];
}

/** A label as projects define it, and who may vote what on it. */
export interface LabelDefinition {
  name: string;
  values: Record<string, string>;
  min: number;
  max: number;
  /** Group name -> [min, max] the group's members may vote. */
  permissions: Record<string, [number, number]>;
}

export const ANONYMOUS_USERS = 'Anonymous Users';
export const REGISTERED_USERS = 'Registered Users';
export const SERVICE_ACCOUNT = 'crossgate-svc';

export const labelDefinitions: Record<string, LabelDefinition> = {
  'Code-Review': {
    name: 'Code-Review',
    values: {
      '-2': 'This shall not be submitted',
      '-1': 'I would prefer this is not submitted as is',
      ' 0': 'No score',
      '+1': 'Looks good to me, but someone else must approve',
      '+2': 'Looks good to me, approved',
    },
    min: -2,
    max: 2,
    permissions: { [REGISTERED_USERS]: [-1, 1], 'Release Managers': [-2, 2] },
  },
  Verified: {
    name: 'Verified',
    values: { '-1': 'Fails', ' 0': 'No score', '+1': 'Verified' },
    min: -1,
    max: 1,
    permissions: { 'CI Bots': [-1, 1] },
  },
};

/** Global capabilities and project permissions of the seed (All-Projects' ACL in real Gerrit). */
export const accessRules = {
  runAs: ['Run As Users'],
  submit: ['Release Managers'],
};

export interface GerritData {
  accounts: Account[];
  groups: Group[];
  projects: Project[];
  changes: Change[];
  settings: { enableRunAs: boolean };
}

/** Accounts by username, e-mail or numeric id, as Gerrit's account resolver takes them. */
export function findAccount(data: GerritData, id: string): Account | undefined {
  return data.accounts.find(
    (account) => account.username === id || account.email === id || String(account.id) === id,
  );
}

/** Gerrit's timestamp format: UTC, nanoseconds, a space between date and time. */
export function gerritTimestamp(date: Date): string {
  return `${date.toISOString().replace('T', ' ').replace('Z', '')}000000`;
}

/** Groups of an account, system groups included. */
export function groupsOf(data: GerritData, account: Account | undefined): Group[] {
  return data.groups.filter(
    (group) =>
      group.name === ANONYMOUS_USERS ||
      (account !== undefined &&
        (group.name === REGISTERED_USERS || group.members.has(account.username))),
  );
}
