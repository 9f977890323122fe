import {
  gerritTimestamp,
  groupsOf,
  labelDefinitions,
  type Account,
  type Change,
  type GerritData,
  type Group,
} from './model';

/** ListChangesOption values the stand-in understands; others are refused as Gerrit does. */
export const changeOptions = new Set([
  'LABELS',
  'DETAILED_LABELS',
  'CURRENT_REVISION',
  'ALL_REVISIONS',
  'DETAILED_ACCOUNTS',
  'MESSAGES',
  'SUBMITTABLE',
]);

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
): Record<string, unknown> {
  const detailed = options.has('DETAILED_ACCOUNTS');
  const account = (id: number | undefined) =>
    accountInfo(
      data.accounts.find((candidate) => candidate.id === id),
      detailed,
    );
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
    insertions: change.insertions,
    deletions: change.deletions,
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
  if (options.has('CURRENT_REVISION') || options.has('ALL_REVISIONS')) {
    const current = change.revisions.at(-1);
    const shown = options.has('ALL_REVISIONS') ? change.revisions : current ? [current] : [];
    info.current_revision = current?.sha;
    info.revisions = Object.fromEntries(
      shown.map((revision) => [
        revision.sha,
        {
          kind: 'REWORK',
          _number: revision.number,
          created: gerritTimestamp(revision.created),
          uploader: account(revision.uploaderId),
          ref: `refs/changes/${String(change.number % 100).padStart(2, '0')}/${change.number}/${revision.number}`,
        },
      ]),
    );
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
