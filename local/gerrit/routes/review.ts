import { randomBytes } from 'node:crypto';
import { COMMIT_MSG } from '../files';
import {
  accessRules,
  findAccount,
  groupsOf,
  labelDefinitions,
  type Account,
  type Change,
  type GerritData,
  type ReviewerState,
  type Revision,
} from '../model';
import { accountInfo, changeInfo, submitProblems } from '../views';
import {
  fail,
  findChange,
  findRevision,
  json,
  readInput,
  requireUser,
  type GerritHandler,
} from './context';

/** Gerrit's other magic path: comments on the patch set as a whole. */
const PATCHSET_LEVEL = '/PATCHSET_LEVEL';

/** Groups larger than this need `confirmed: true` to be added as reviewers (Gerrit's default). */
const REVIEWER_GROUP_CONFIRM = 10;

interface ReviewerOutcome {
  input: string;
  error?: string;
  confirm?: boolean;
  accounts: Account[];
  state: ReviewerState;
}

/** Resolves ReviewerInput entries: accounts by username, e-mail or id, or groups by name. */
function resolveReviewers(data: GerritData, input: unknown): ReviewerOutcome[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw fail(400, 'reviewers must be a list of ReviewerInput');
  return input.map((entry: unknown): ReviewerOutcome => {
    const record = (entry ?? {}) as Record<string, unknown>;
    const id = typeof record.reviewer === 'string' ? record.reviewer : '';
    const state: ReviewerState = record.state === 'CC' ? 'CC' : 'REVIEWER';
    const account = findAccount(data, id);
    if (account) return { input: id, accounts: [account], state };
    const group = data.groups.find((candidate) => candidate.name === id || candidate.uuid === id);
    if (group && !group.uuid.startsWith('global:')) {
      const members = data.accounts.filter((candidate) => group.members.has(candidate.username));
      if (members.length > REVIEWER_GROUP_CONFIRM && record.confirmed !== true) {
        return {
          input: id,
          accounts: [],
          state,
          confirm: true,
          error: `The group ${group.name} has ${members.length} members. Do you want to add them all as reviewers?`,
        };
      }
      return { input: id, accounts: members, state };
    }
    return {
      input: id,
      accounts: [],
      state,
      error: `${id} does not identify a registered user or group`,
    };
  });
}

/** PostReview's comment checks: known paths only, sane lines and ranges, a message each. */
function checkComments(
  change: Change,
  revision: Revision,
  input: unknown,
): [string, Record<string, unknown>[]][] {
  if (input === undefined) return [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw fail(400, 'comments must be a map of path to CommentInput lists');
  }
  const paths = new Set([COMMIT_MSG, PATCHSET_LEVEL, ...change.files.map((file) => file.path)]);
  return Object.entries(input).map(([path, list]) => {
    if (!paths.has(path)) {
      throw fail(400, `file ${path} not found in revision ${change.number},${revision.number}`);
    }
    if (!Array.isArray(list)) throw fail(400, `comments on ${path} must be a list`);
    for (const comment of list as Record<string, unknown>[]) {
      if (typeof comment.line === 'number' && comment.line < 0) {
        throw fail(400, `negative line number ${comment.line} not allowed on ${path}`);
      }
      const range = comment.range as Record<string, number> | undefined;
      if (
        range &&
        !(
          (range.start_line ?? 0) >= 0 &&
          ((range.start_line ?? 0) < (range.end_line ?? 0) ||
            (range.start_line === range.end_line &&
              (range.start_character ?? 0) <= (range.end_character ?? 0)))
        )
      ) {
        throw fail(
          400,
          `Range (${range.start_line}:${range.start_character} - ${range.end_line}:${range.end_character}) is not valid for the comment on ${path}`,
        );
      }
      if (typeof comment.message !== 'string' || comment.message.trim() === '') {
        throw fail(400, `message is required for the comment on ${path}`);
      }
    }
    return [path, list as Record<string, unknown>[]];
  });
}

/** Gerrit's label permissions: the widest range any of the voter's groups grants. */
function checkLabels(data: GerritData, labels: Record<string, unknown>, user: Account): void {
  const groups = groupsOf(data, user).map((group) => group.name);
  for (const [label, value] of Object.entries(labels)) {
    const definition = labelDefinitions[label];
    if (!definition) throw fail(400, `label "${label}" is not a configured label`);
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < definition.min ||
      value > definition.max
    ) {
      throw fail(400, `label "${label}": ${String(value)} is not a valid value`);
    }
    const [min, max] = Object.entries(definition.permissions)
      .filter(([group]) => groups.includes(group))
      .reduce<[number, number]>(
        ([low, high], [, [groupMin, groupMax]]) => [
          Math.min(low, groupMin),
          Math.max(high, groupMax),
        ],
        [0, 0],
      );
    if (value < min || value > max) {
      throw fail(403, `Applying label "${label}": ${value} is restricted`);
    }
  }
}

/**
 * Set Review: labels, a message, inline comments and reviewers, all or nothing. A reviewer
 * that cannot be added makes it 400 with the ReviewResult naming the error, as Gerrit does.
 */
export const setReview: GerritHandler = (request) => {
  const { data } = request;
  const change = findChange(data, request.params.change ?? '');
  const revision = findRevision(change, request.params.revision ?? '');
  const current = change.revisions.at(-1);
  const input = readInput(request);
  const user = requireUser(request.user);
  const real = request.real ?? user;
  if ('on_behalf_of' in input) {
    throw fail(403, `not permitted to modify labels on behalf of "${String(input.on_behalf_of)}"`);
  }
  const labels = (input.labels ?? {}) as Record<string, unknown>;
  checkLabels(data, labels, user);
  if (Object.keys(labels).length > 0) {
    if (change.status !== 'NEW') {
      throw fail(409, `change is ${change.status === 'MERGED' ? 'merged' : 'abandoned'}`);
    }
    if (revision !== current) throw fail(409, `revision ${revision.sha} is not current revision`);
  }
  const comments = checkComments(change, revision, input.comments);
  const reviewers = resolveReviewers(data, input.reviewers);
  const outcome = (reviewer: ReviewerOutcome) => ({
    input: reviewer.input,
    ...(reviewer.error
      ? { error: reviewer.error, ...(reviewer.confirm ? { confirm: true } : {}) }
      : {
          [reviewer.state === 'CC' ? 'ccs' : 'reviewers']: reviewer.accounts.map((account) => ({
            ...accountInfo(account, true),
            ...(reviewer.state === 'REVIEWER' ? { approvals: {} } : {}),
          })),
        }),
  });
  const reviewerResults = Object.fromEntries(reviewers.map((r) => [r.input, outcome(r)]));
  if (reviewers.some((reviewer) => reviewer.error)) {
    return json({ reviewers: reviewerResults }, 400);
  }

  const now = new Date();
  for (const reviewer of reviewers) {
    for (const account of reviewer.accounts) change.reviewers.set(account.id, reviewer.state);
  }
  for (const [label, value] of Object.entries(labels) as [string, number][]) {
    change.approvals = change.approvals.filter(
      (vote) => !(vote.label === label && vote.accountId === user.id),
    );
    if (value !== 0) {
      change.approvals.push({
        label,
        value,
        accountId: user.id,
        realAccountId: real.id,
        date: now,
      });
    }
  }
  // Voting makes the voter a reviewer (Gerrit adds them to the attention set and reviewers).
  if (Object.keys(labels).length > 0) change.reviewers.set(user.id, 'REVIEWER');
  for (const [path, list] of comments) {
    for (const comment of list) {
      change.comments.push({
        path,
        ...(typeof comment.line === 'number' ? { line: comment.line } : {}),
        message: String(comment.message),
        authorId: user.id,
        realAuthorId: real.id,
      });
    }
  }
  const votes = Object.entries(labels).map(
    ([label, value]) => `${label}${Number(value) > 0 ? '+' : ''}${String(value)}`,
  );
  const commentCount = comments.reduce((sum, [, list]) => sum + list.length, 0);
  const text = [
    `Patch Set ${revision.number}:${votes.length > 0 ? ` ${votes.join(' ')}` : ''}`,
    commentCount > 0 ? `(${commentCount} comment${commentCount === 1 ? '' : 's'})` : '',
    typeof input.message === 'string' ? input.message : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  change.messages.push({
    id: randomBytes(20).toString('hex'),
    authorId: user.id,
    realAuthorId: real.id,
    date: now,
    message: text,
    revision: revision.number,
    ...(typeof input.tag === 'string' ? { tag: input.tag } : {}),
  });
  change.updated = now;
  return json({
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(reviewers.length > 0 ? { reviewers: reviewerResults } : {}),
  });
};

function submitChange(
  data: GerritData,
  change: Change,
  input: Record<string, unknown>,
  user: Account,
  real: Account,
): void {
  if ('on_behalf_of' in input) {
    throw fail(403, `not permitted to submit on behalf of "${String(input.on_behalf_of)}"`);
  }
  const maySubmit = groupsOf(data, user).some((group) => accessRules.submit.includes(group.name));
  if (!maySubmit) throw fail(403, 'submit not permitted');
  if (change.status !== 'NEW') {
    throw fail(409, `change is ${change.status === 'MERGED' ? 'merged' : 'abandoned'}`);
  }
  const problems = submitProblems(change);
  if (problems.length > 0) throw fail(409, problems.join(', '));
  const now = new Date();
  change.status = 'MERGED';
  change.submitted = now;
  change.updated = now;
  change.submitterId = user.id;
  change.realSubmitterId = real.id;
  change.messages.push({
    id: randomBytes(20).toString('hex'),
    authorId: user.id,
    realAuthorId: real.id,
    date: now,
    message: `Change has been successfully merged by ${user.name}`,
    revision: change.revisions.length,
  });
}

/** Submit Change: answers the merged ChangeInfo. */
export const submitChangeRoute: GerritHandler = (request) => {
  const change = findChange(request.data, request.params.change ?? '');
  const user = requireUser(request.user);
  submitChange(request.data, change, readInput(request), user, request.real ?? user);
  return json(changeInfo(request.data, change, new Set()));
};

/** Submit Revision: only the current revision; answers SubmitInfo (`{"status":"MERGED"}`). */
export const submitRevisionRoute: GerritHandler = (request) => {
  const change = findChange(request.data, request.params.change ?? '');
  const revision = findRevision(change, request.params.revision ?? '');
  const user = requireUser(request.user);
  const input = readInput(request);
  if (change.status === 'NEW' && revision !== change.revisions.at(-1)) {
    throw fail(409, `revision ${revision.sha} is not current revision`);
  }
  submitChange(request.data, change, input, user, request.real ?? user);
  return json({ status: change.status });
};
