import { Buffer } from 'node:buffer';
import {
  COMMIT_MSG,
  commitInfo,
  commitMessageFile,
  diffInfo,
  fileInfo,
  formatPatch,
} from '../files';
import type { Change, FileChange } from '../model';
import { parseChangeQuery } from '../query';
import { changeInfo, changeOptions, detailOptions, type ViewContext } from '../views';
import {
  accountOf,
  fail,
  findChange,
  findRevision,
  intParam,
  json,
  type GerritHandler,
  type GerritRequest,
} from './context';

/** `o=` values, each checked against Gerrit's ListChangesOption names (400 otherwise). */
function parseOptions(query: URLSearchParams): Set<string> {
  const options = query.getAll('o');
  for (const option of options) {
    if (!changeOptions.has(option)) throw fail(400, `"${option}" is not a valid value for "-o"`);
  }
  return new Set(options);
}

const viewContext = (request: GerritRequest): ViewContext => ({
  caller: request.user,
  baseUrl: request.baseUrl,
});

/**
 * Query Changes. One `q` gives a list; several give a list of lists, one per query, in order
 * (rest-api-changes.txt). `n` limits each list, `S` skips; the last change of a truncated
 * list carries `_more_changes: true`.
 */
export const queryChanges: GerritHandler = (request) => {
  const options = parseOptions(request.query);
  const limit = intParam(request.query.get('n') ?? request.query.get('limit'), 500, 'n');
  const start = intParam(request.query.get('S') ?? request.query.get('start'), 0, 'S');
  const queries = request.query.getAll('q');
  const run = (q: string) => {
    const predicates = parseChangeQuery(request.data, q, request.user);
    const matching = request.data.changes
      .filter((change) => predicates.every((predicate) => predicate(change)))
      .sort((a, b) => b.updated.getTime() - a.updated.getTime() || b.number - a.number);
    const page = matching
      .slice(start, start + limit)
      .map((change) => changeInfo(request.data, change, options, viewContext(request)));
    const last = page.at(-1);
    if (last && start + limit < matching.length) last._more_changes = true;
    return page;
  };
  if (queries.length > 1) return json(queries.map(run));
  return json(run(queries[0] ?? 'status:open'));
};

export const getChange: GerritHandler = (request) =>
  json(
    changeInfo(
      request.data,
      findChange(request.data, request.params.change ?? ''),
      parseOptions(request.query),
      viewContext(request),
    ),
  );

/** Get Change Detail: the change with labels, accounts, reviewers and messages. */
export const getChangeDetail: GerritHandler = (request) => {
  const options = parseOptions(request.query);
  for (const option of detailOptions) options.add(option);
  return json(
    changeInfo(
      request.data,
      findChange(request.data, request.params.change ?? ''),
      options,
      viewContext(request),
    ),
  );
};

function revisionOf(request: GerritRequest) {
  const change = findChange(request.data, request.params.change ?? '');
  const revision = findRevision(change, request.params.revision ?? '');
  return { change, revision };
}

/** The revision's files with the commit message first, as Gerrit lists them. */
function filesWithCommitMessage(request: GerritRequest): { change: Change; files: FileChange[] } {
  const { change, revision } = revisionOf(request);
  const author = accountOf(request.data, revision.uploaderId);
  return { change, files: [commitMessageFile(change, author, revision), ...change.files] };
}

function findFile(request: GerritRequest): FileChange {
  const { files } = filesWithCommitMessage(request);
  const path = request.params.file ?? '';
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw fail(404, `Not found: ${path}`);
  return file;
}

/** List Files: a map of path to FileInfo, `/COMMIT_MSG` included. */
export const listFiles: GerritHandler = (request) => {
  const { files } = filesWithCommitMessage(request);
  const q = request.query.get('q');
  const shown = q === null ? files : files.filter((file) => file.path.includes(q));
  return json(Object.fromEntries(shown.map((file) => [file.path, fileInfo(file)])));
};

export const getDiff: GerritHandler = (request) => json(diffInfo(findFile(request)));

/**
 * Get Content: the file at this revision, base64-encoded in a text/plain body, with Gerrit's
 * X-FYI headers naming the encoding and the file's own type. A deleted file has no content.
 */
export const getContent: GerritHandler = (request) => {
  const file = findFile(request);
  if (file.after === null) throw fail(404, `Not found: ${file.path}`);
  return {
    text: Buffer.from(file.after).toString('base64'),
    headers: {
      'x-fyi-content-encoding': 'base64',
      'x-fyi-content-type':
        file.path === COMMIT_MSG ? 'text/x-gerrit-commit-message' : 'text/plain',
    },
  };
};

export const getCommit: GerritHandler = (request) => {
  const { change, revision } = revisionOf(request);
  return json(commitInfo(change, revision, accountOf(request.data, revision.uploaderId), true));
};

/** Get Patch: `git format-patch` output, base64 in text/plain (or raw with `?raw`). */
export const getPatch: GerritHandler = (request) => {
  const { change, revision } = revisionOf(request);
  const patch = formatPatch(change, revision, accountOf(request.data, revision.uploaderId));
  if (request.query.has('raw')) return { text: patch };
  return {
    text: Buffer.from(patch).toString('base64'),
    headers: { 'x-fyi-content-encoding': 'base64', 'x-fyi-content-type': 'application/mbox' },
  };
};
