import { commitInfo, diffstat, fileInfo } from './files';
import {
  accessRules,
  gerritTimestamp,
  groupsOf,
  labelDefinitions,
  type Account,
  type Change,
  type GerritData,
  type Group,
  type Revision,
} from './model';

/**
 * Every ListChangesOption of Gerrit 3.x (java/com/google/gerrit/extensions/client/
 * ListChangesOption.java). All are accepted; those that shape data the stand-in holds are
 * honoured, the rest add nothing (as on a server without the plugins or data they need).
 */
export const changeOptions = new Set([
  'LABELS',
  'DETAILED_LABELS',
  'SUBMIT_REQUIREMENTS',
  'CURRENT_REVISION',
  'ALL_REVISIONS',
  'CURRENT_COMMIT',
  'ALL_COMMITS',
  'CURRENT_FILES',
  'ALL_FILES',
  'DETAILED_ACCOUNTS',
  'REVIEWER_UPDATES',
  'MESSAGES',
  'CURRENT_ACTIONS',
  'CHANGE_ACTIONS',
  'REVIEWED',
  'SKIP_MERGEABLE',
  'SKIP_DIFFSTAT',
  'SUBMITTABLE',
  'WEB_LINKS',
  'CHECK',
  'COMMIT_FOOTERS',
  'PUSH_CERTIFICATES',
  'TRACKING_IDS',
  'DOWNLOAD_COMMANDS',
  'STAR',
  'PARENTS',
  'CUSTOM_KEYED_VALUES',
]);

/** Options Get Change Detail adds to whatever the caller asked (rest-api-changes.txt). */
export const detailOptions = [
  'LABELS',
  'DETAILED_LABELS',
  'DETAILED_ACCOUNTS',
  'REVIEWER_UPDATES',
  'MESSAGES',
];

/** Who asks, and where the server is: for `reviewed`, actions and download URLs. */
export interface ViewContext {
  caller: Account | undefined;
  baseUrl: string;
}

/** AccountInfo: `_account_id` and name always (as in the documented examples), the rest on request. */
export function accountInfo(
  account: Account | undefined,
  detailed: boolean,
): Record<string, unknown> {
  if (!account) return {};
  return detailed
    ? {
        _account_id: account.id,
        name: account.name,
        email: account.email,
        username: account.username,
      }
    : { _account_id: account.id, name: account.name };
}

/** ChangeInfo in the shape of Documentation/rest-api-changes.txt (see shared/fixtures/gerrit). */
export function changeInfo(
  data: GerritData,
  change: Change,
  options: Set<string>,
  context: ViewContext = { caller: undefined, baseUrl: '' },
): Record<string, unknown> {
  const accountById = (id: number | undefined) =>
    data.accounts.find((candidate) => candidate.id === id);
  const detailed = options.has('DETAILED_ACCOUNTS');
  const account = (id: number | undefined) => accountInfo(accountById(id), detailed);
  const info: Record<string, unknown> = {
    id: `${change.project}~${change.branch}~${change.changeId}`,
    project: change.project,
    branch: change.branch,
    change_id: change.changeId,
    subject: change.subject,
    status: change.status,
    created: gerritTimestamp(change.created),
    updated: gerritTimestamp(change.updated),
    ...(change.submitted ? { submitted: gerritTimestamp(change.submitted) } : {}),
    ...(change.submitterId !== undefined ? { submitter: account(change.submitterId) } : {}),
    ...(change.status === 'NEW' ? { mergeable: true } : {}),
    ...(options.has('SKIP_DIFFSTAT') ? {} : diffstat(change)),
    _number: change.number,
    owner: account(change.ownerId),
  };
  if (options.has('LABELS') || options.has('DETAILED_LABELS')) {
    const labels: Record<string, unknown> = {};
    for (const definition of Object.values(labelDefinitions)) {
      const votes = change.approvals.filter((vote) => vote.label === definition.name);
      const label: Record<string, unknown> = {};
      const pick = (value: number) => votes.find((vote) => vote.value === value);
      const approved = pick(definition.max);
      const rejected = pick(definition.min);
      if (approved) label.approved = account(approved.accountId);
      if (rejected) label.rejected = account(rejected.accountId);
      if (definition.max > 1 && pick(1)) label.recommended = account(pick(1)?.accountId);
      if (definition.min < -1 && pick(-1)) label.disliked = account(pick(-1)?.accountId);
      if (options.has('DETAILED_LABELS')) {
        label.all = votes.map((vote) => ({
          value: vote.value,
          date: gerritTimestamp(vote.date),
          ...account(vote.accountId),
        }));
        label.values = definition.values;
      }
      label.default_value = 0;
      labels[definition.name] = label;
    }
    info.labels = labels;
  }
  if (options.has('DETAILED_LABELS')) {
    const byState = (state: string) =>
      [...change.reviewers].filter(([, value]) => value === state).map(([id]) => account(id));
    info.reviewers = {
      ...(byState('REVIEWER').length > 0 ? { REVIEWER: byState('REVIEWER') } : {}),
      ...(byState('CC').length > 0 ? { CC: byState('CC') } : {}),
    };
  }
  // Commits, files and actions ride on revisions: Gerrit shows them only when CURRENT_REVISION
  // or ALL_REVISIONS selects revisions ("Only valid when the current revision or all revisions
  // are selected", rest-api-changes.txt).
  const allRevisions = options.has('ALL_REVISIONS');
  const currentRevision = options.has('CURRENT_REVISION');
  if (allRevisions || currentRevision) {
    const current = change.revisions.at(-1);
    const shown = allRevisions ? change.revisions : current ? [current] : [];
    info.current_revision = current?.sha;
    info.revisions = Object.fromEntries(
      shown.map((revision) => [
        revision.sha,
        revisionInfo(data, change, revision, options, context, revision === current),
      ]),
    );
  }
  if (options.has('REVIEWED') && context.caller && change.status === 'NEW') {
    // Gerrit: the caller has reviewed the current patch set when they commented or voted on it.
    const current = change.revisions.at(-1)?.number;
    const callerId = context.caller.id;
    if (change.messages.some((m) => m.authorId === callerId && m.revision === current)) {
      info.reviewed = true;
    }
  }
  const changeActions = options.has('CHANGE_ACTIONS') || options.has('CURRENT_ACTIONS');
  if (changeActions && context.caller && change.status === 'NEW') {
    info.actions = {
      abandon: { method: 'POST', label: 'Abandon', title: 'Abandon the change', enabled: true },
      topic: { method: 'PUT', label: 'Edit Topic', enabled: true },
    };
  }
  if (options.has('MESSAGES')) {
    info.messages = change.messages.map((message) => ({
      id: message.id,
      author: account(message.authorId),
      ...(message.realAuthorId !== message.authorId
        ? { real_author: account(message.realAuthorId) }
        : {}),
      date: gerritTimestamp(message.date),
      message: message.message,
      _revision_number: message.revision,
      ...(message.tag ? { tag: message.tag } : {}),
    }));
  }
  if (options.has('SUBMITTABLE'))
    info.submittable = submitProblems(change).length === 0 && change.status === 'NEW';
  return info;
}

/** RevisionInfo, with what the options ask for (commit, files, fetch commands, actions). */
function revisionInfo(
  data: GerritData,
  change: Change,
  revision: Revision,
  options: Set<string>,
  context: ViewContext,
  isCurrent: boolean,
): Record<string, unknown> {
  const detailed = options.has('DETAILED_ACCOUNTS');
  const uploader = data.accounts.find((candidate) => candidate.id === revision.uploaderId);
  const ref = `refs/changes/${String(change.number % 100).padStart(2, '0')}/${change.number}/${revision.number}`;
  const url = `${context.baseUrl}/${change.project}`;
  const info: Record<string, unknown> = {
    kind: 'REWORK',
    _number: revision.number,
    created: gerritTimestamp(revision.created),
    uploader: accountInfo(uploader, detailed),
    ref,
    fetch: {
      'anonymous http': {
        url,
        ref,
        ...(options.has('DOWNLOAD_COMMANDS')
          ? {
              commands: {
                Checkout: `git fetch ${url} ${ref} && git checkout FETCH_HEAD`,
                'Cherry Pick': `git fetch ${url} ${ref} && git cherry-pick FETCH_HEAD`,
                'Format Patch': `git fetch ${url} ${ref} && git format-patch -1 --stdout FETCH_HEAD`,
                Pull: `git pull ${url} ${ref}`,
              },
            }
          : {}),
      },
    },
  };
  const withCommit = options.has('ALL_COMMITS') || (isCurrent && options.has('CURRENT_COMMIT'));
  if (withCommit) info.commit = commitInfo(change, revision, uploader, false);
  const withFiles = options.has('ALL_FILES') || (isCurrent && options.has('CURRENT_FILES'));
  if (withFiles) {
    info.files = Object.fromEntries(
      change.files.map((file) => [file.path, fileInfo(file, options.has('SKIP_DIFFSTAT'))]),
    );
  }
  if (isCurrent && options.has('CURRENT_ACTIONS') && change.status === 'NEW') {
    const maySubmit = groupsOf(data, context.caller).some((group) =>
      accessRules.submit.includes(group.name),
    );
    info.actions = {
      ...(maySubmit
        ? {
            submit: {
              method: 'POST',
              label: 'Submit',
              title: `Submit patch set ${revision.number} into ${change.branch}`,
              ...(submitProblems(change).length === 0 ? { enabled: true } : {}),
            },
          }
        : {}),
      cherrypick: {
        method: 'POST',
        label: 'Cherry Pick',
        title: 'Cherry pick change to a different branch',
        enabled: true,
      },
      description: { method: 'PUT', label: 'Edit Description', enabled: true },
      rebase: {
        method: 'POST',
        label: 'Rebase',
        title: 'Rebase onto tip of branch or parent change',
      },
    };
  }
  return info;
}

/** The seed's submit rule: Code-Review+2 needed, any minimum vote blocks. Empty when submittable. */
export function submitProblems(change: Change): string[] {
  const problems: string[] = [];
  for (const definition of Object.values(labelDefinitions)) {
    const votes = change.approvals.filter((vote) => vote.label === definition.name);
    if (votes.some((vote) => vote.value === definition.min)) {
      problems.push(`blocked by ${definition.name}`);
    } else if (
      definition.name === 'Code-Review' &&
      !votes.some((vote) => vote.value === definition.max)
    ) {
      problems.push(`needs ${definition.name}`);
    }
  }
  return problems;
}

/** GroupInfo as List Groups of an account returns it (rest-api-accounts.txt). */
export function groupInfo(group: Group): Record<string, unknown> {
  const id = encodeURIComponent(group.uuid);
  return {
    id,
    url: `#/admin/groups/uuid-${id}`,
    options: group.uuid.startsWith('global:') ? {} : { visible_to_all: true },
    ...(group.description ? { description: group.description } : {}),
    group_id: group.groupId,
    owner_id: group.uuid.startsWith('global:')
      ? '6a1e70e1a88782771a91808c8af9bbb7a9871389'
      : group.uuid,
    name: group.name,
  };
}

export function accountGroups(data: GerritData, account: Account): Record<string, unknown>[] {
  return groupsOf(data, account).map(groupInfo);
}
