import { createHash, randomBytes } from 'node:crypto';

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
  created: Date;
  uploaderId: number;
}

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
  insertions: number;
  deletions: number;
  revisions: Revision[];
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
  changes: Change[];
  settings: { enableRunAs: boolean };
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function at(day: number, hour: number): Date {
  return new Date(Date.UTC(2026, 10, day, hour, 0, 0));
}

/** DESIGN.md's offline seed: alice, bob, ci-bot, the service account, "Release Managers", project demo. */
export function seedData(servicePassword: string): GerritData {
  const accounts: Account[] = [
    {
      id: 1000000,
      username: SERVICE_ACCOUNT,
      name: 'crossgate gateway',
      email: 'crossgate@example.com',
      password: servicePassword,
    },
    {
      id: 1000001,
      username: 'alice',
      name: 'Alice Example',
      email: 'alice@example.com',
      password: randomBytes(12).toString('base64url'),
    },
    {
      id: 1000002,
      username: 'bob',
      name: 'Bob Example',
      email: 'bob@example.com',
      password: randomBytes(12).toString('base64url'),
    },
    {
      id: 1000003,
      username: 'ci-bot',
      name: 'CI Bot',
      email: 'ci-bot@example.com',
      password: randomBytes(12).toString('base64url'),
    },
  ];
  const group = (
    name: string,
    groupId: number,
    members: string[],
    description?: string,
  ): Group => ({
    uuid: sha1(`group:${name}`),
    name,
    groupId,
    members: new Set(members),
    ...(description ? { description } : {}),
  });
  const groups: Group[] = [
    {
      uuid: 'global:Anonymous-Users',
      name: ANONYMOUS_USERS,
      groupId: 2,
      description: 'Any user, signed-in or not',
      members: new Set(),
    },
    {
      uuid: 'global:Registered-Users',
      name: REGISTERED_USERS,
      groupId: 3,
      description: 'Any signed-in user',
      members: new Set(),
    },
    group('Administrators', 1, [], 'Gerrit Site Administrators'),
    group('Release Managers', 6, ['alice'], 'May approve with Code-Review+2 and submit'),
    group('CI Bots', 7, ['ci-bot'], 'May vote Verified'),
    group('Run As Users', 8, [SERVICE_ACCOUNT], 'Granted the Run As capability'),
  ];

  const byName = new Map(accounts.map((account) => [account.username, account.id]));
  const change = (
    number: number,
    subject: string,
    owner: string,
    options: { project?: string; status?: Change['status']; patchSets?: number; day: number },
  ): Change => {
    const ownerId = byName.get(owner) ?? 0;
    const patchSets = options.patchSets ?? 1;
    const revisions = Array.from({ length: patchSets }, (_, index) => ({
      number: index + 1,
      sha: sha1(`change-${number}-ps${index + 1}`),
      created: at(options.day, 9 + index),
      uploaderId: ownerId,
    }));
    return {
      number,
      project: options.project ?? 'demo',
      branch: 'master',
      changeId: `I${sha1(`change-${number}`)}`,
      subject,
      status: options.status ?? 'NEW',
      created: at(options.day, 9),
      updated: at(options.day, 9 + patchSets),
      ownerId,
      insertions: 10 + number,
      deletions: number,
      revisions,
      approvals: [],
      messages: [],
      comments: [],
      ...(options.status === 'MERGED'
        ? {
            submitted: at(options.day, 12),
            submitterId: byName.get('alice') ?? 0,
            realSubmitterId: byName.get('alice') ?? 0,
          }
        : {}),
    };
  };
  const changes: Change[] = [
    change(1, 'Add greeting endpoint', 'bob', { day: 1, patchSets: 2 }),
    change(2, 'Fix typo in README', 'alice', { day: 2 }),
    change(3, 'Bump dependencies', 'ci-bot', { day: 3 }),
    change(4, 'Refactor config loader', 'bob', { day: 4 }),
    change(5, 'Add release notes', 'alice', { day: 5 }),
    change(6, 'Document the API', 'bob', { day: 6, status: 'MERGED' }),
    change(7, 'Add lint script', 'bob', { day: 7, project: 'team/tools' }),
    change(8, 'Old abandoned idea', 'bob', { day: 8, status: 'ABANDONED' }),
    change(9, 'Speed up the build', 'bob', { day: 9 }),
    change(10, 'Add health check', 'alice', { day: 10 }),
  ];
  return { accounts, groups, changes, settings: { enableRunAs: true } };
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
