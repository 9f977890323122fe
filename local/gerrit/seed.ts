import { createHash, randomBytes } from 'node:crypto';
import { fakeCredentials, type FakeCredentials } from './fake-credentials';
import {
  ANONYMOUS_USERS,
  REGISTERED_USERS,
  SERVICE_ACCOUNT,
  type Account,
  type Change,
  type FileChange,
  type GerritData,
  type Group,
  type Project,
} from './model';

/**
 * DESIGN.md's offline seed: alice, bob, ci-bot, ops-agent and the service account; the group
 * "Release Managers" with alice; projects with states and descriptions (`secret-infra` is
 * the one gateway config marks sensitive); changes with files and diffs, one of which carries
 * fake credentials.
 *
 * Exactly eight changes are open (1-5, 7, 9, 10): tests page through `status:open` and count
 * them. The credential change (11) and the sensitive project's change (12) are merged, which
 * an agent may read like any other.
 */

export const CREDENTIALS_CHANGE = 11;
export const SENSITIVE_PROJECT = 'secret-infra';
export const SENSITIVE_CHANGE = 12;

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function at(day: number, hour: number): Date {
  return new Date(Date.UTC(2026, 10, day, hour, 0, 0));
}

const README = `# demo

A small service used to try crossgate offline.

## Build

    npm ci
    npm run build

## Run

    npm start
`;

const ROUTES = `import { health } from './health';

export const routes = {
  '/health': health,
};
`;

const BUILD_SH = `#!/bin/sh
set -e
npm ci
npm run build
`;

/** Files of each seeded change: small, but real before/after contents with real diffs. */
function filesOf(number: number, subject: string, credentials: FakeCredentials): FileChange[] {
  switch (number) {
    case 1:
      return [
        {
          path: 'src/greeting.ts',
          before: null,
          after: `export function greeting(name: string): string {\n  return \`Hello, \${name}!\`;\n}\n`,
        },
        {
          path: 'src/routes.ts',
          before: ROUTES,
          after: ROUTES.replace(
            "import { health } from './health';\n",
            "import { greeting } from './greeting';\nimport { health } from './health';\n",
          ).replace("  '/health': health,\n", "  '/health': health,\n  '/greeting': greeting,\n"),
        },
      ];
    case 2:
      return [
        {
          path: 'README.md',
          before: README.replace('A small service', 'A smal service'),
          after: README,
        },
      ];
    case 9:
      return [
        {
          path: 'scripts/build.sh',
          before: BUILD_SH,
          after: BUILD_SH.replace('npm ci', 'npm ci --prefer-offline'),
        },
        { path: 'scripts/old-build.sh', before: BUILD_SH, after: null },
      ];
    case CREDENTIALS_CHANGE:
      return [
        {
          path: 'deploy/aws-credentials',
          before: null,
          after: [
            '[staging]',
            'region = us-east-1',
            `aws_access_key_id = ${credentials.awsAccessKeyId}`,
            `aws_secret_access_key = ${credentials.awsSecretAccessKey}`,
            '',
          ].join('\n'),
        },
        { path: 'deploy/id_rsa', before: null, after: credentials.pemPrivateKey },
        { path: 'deploy/gcp-key.json', before: null, after: credentials.gcpServiceAccountKeyJson },
        {
          path: 'deploy/README.md',
          before: '# deploy\n',
          after: '# deploy\n\nStaging credentials live next to this file.\n',
        },
      ];
    case SENSITIVE_CHANGE:
      return [
        {
          path: 'terraform/vault.tf',
          before: 'module "vault" {\n  source = "./vault"\n  replicas = 3\n}\n',
          after: 'module "vault" {\n  source = "./vault"\n  replicas = 5\n}\n',
        },
      ];
    default:
      return [
        {
          path: 'CHANGELOG.md',
          before: '# Changelog\n\n## Unreleased\n',
          after: `# Changelog\n\n## Unreleased\n\n- ${subject}\n`,
        },
      ];
  }
}

function commitMessageOf(
  number: number,
  subject: string,
  changeId: string,
  credentials: FakeCredentials,
): string {
  const body =
    number === CREDENTIALS_CHANGE
      ? [
          'Staging deploys need these until the secret store is wired up:',
          '',
          `  AWS_ACCESS_KEY_ID=${credentials.awsAccessKeyId}`,
          `  aws_secret_access_key = ${credentials.awsSecretAccessKey}`,
          '',
          'The deploy key is in deploy/id_rsa:',
          '',
          credentials.pemPrivateKey.trimEnd(),
          '',
          'and the GCP key in deploy/gcp-key.json.',
        ].join('\n')
      : `${subject}, as discussed in the team meeting.`;
  return `${subject}\n\n${body}\n\nChange-Id: ${changeId}\n`;
}

export function seedData(servicePassword: string): GerritData {
  const password = () => randomBytes(12).toString('base64url');
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
      password: password(),
    },
    {
      id: 1000002,
      username: 'bob',
      name: 'Bob Example',
      email: 'bob@example.com',
      password: password(),
    },
    {
      id: 1000003,
      username: 'ci-bot',
      name: 'CI Bot',
      email: 'ci-bot@example.com',
      password: password(),
    },
    {
      id: 1000004,
      username: 'ops-agent',
      name: 'Ops Agent',
      email: 'ops-agent@example.com',
      password: password(),
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
  const project = (name: string, options: Partial<Project> = {}): Project => ({
    name,
    parent: 'All-Projects',
    state: 'ACTIVE',
    permissionsOnly: false,
    branches: { master: sha1(`${name}:master`) },
    ...options,
  });
  const projects: Project[] = [
    {
      name: 'All-Projects',
      description: 'Access inherited by all other projects.',
      state: 'ACTIVE',
      permissionsOnly: true,
      branches: {},
    },
    project('All-Users', { description: 'Individual user settings and preferences.' }),
    project('demo', { description: 'Demo service used to try crossgate offline' }),
    project('team/tools', {
      description: 'Shared build and lint tooling',
      branches: { master: sha1('team/tools:master'), 'stable-1.0': sha1('team/tools:stable') },
    }),
    project(SENSITIVE_PROJECT, { description: 'Infrastructure as code: vault, network, IAM' }),
    project('archive/legacy-portal', {
      description: 'Retired portal, kept for reference',
      state: 'READ_ONLY',
    }),
    project('attic/prototype', { description: 'Hidden prototype', state: 'HIDDEN' }),
  ];

  const credentials = fakeCredentials();
  const byName = new Map(accounts.map((account) => [account.username, account.id]));
  const change = (
    number: number,
    subject: string,
    owner: string,
    options: { project?: string; status?: Change['status']; patchSets?: number; day: number },
  ): Change => {
    const ownerId = byName.get(owner) ?? 0;
    const patchSets = options.patchSets ?? 1;
    const projectName = options.project ?? 'demo';
    const parentSha =
      projects.find((candidate) => candidate.name === projectName)?.branches.master ??
      sha1(projectName);
    const changeId = `I${sha1(`change-${number}`)}`;
    return {
      number,
      project: projectName,
      branch: 'master',
      changeId,
      subject,
      status: options.status ?? 'NEW',
      created: at(options.day, 9),
      updated: at(options.day, 9 + patchSets),
      ownerId,
      commitMessage: commitMessageOf(number, subject, changeId, credentials),
      files: filesOf(number, subject, credentials),
      revisions: Array.from({ length: patchSets }, (_, index) => ({
        number: index + 1,
        sha: sha1(`change-${number}-ps${index + 1}`),
        parentSha,
        created: at(options.day, 9 + index),
        uploaderId: ownerId,
      })),
      reviewers: new Map(),
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
    change(CREDENTIALS_CHANGE, 'Add staging deploy credentials', 'bob', {
      day: 11,
      status: 'MERGED',
    }),
    change(SENSITIVE_CHANGE, 'Scale vault to five replicas', 'alice', {
      day: 12,
      project: SENSITIVE_PROJECT,
      status: 'MERGED',
    }),
  ];
  return { accounts, groups, projects, changes, settings: { enableRunAs: true } };
}
