import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOn } from '../listen';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  accessRules,
  groupsOf,
  labelDefinitions,
  seedData,
  SERVICE_ACCOUNT,
  type Account,
  type Change,
  type GerritData,
} from './model';
import { accountGroups, accountInfo, changeInfo, changeOptions, submitProblems } from './views';

/**
 * A Gerrit stand-in that speaks Gerrit's REST dialect as the gateway meets it:
 * `/a/` with HTTP Basic (401 + WWW-Authenticate without it), `)]}'` before JSON, plain-text
 * errors, `X-Gerrit-RunAs` with RunAsFilter's checks and messages, Gerrit's own label
 * permissions and submit rule. It records who really voted and submitted.
 *
 * Loopback-only inspection and fault injection live under `/__stand-in/` (see inspection below);
 * the gateway never calls them.
 */

export interface GerritStandIn {
  url: string;
  port: number;
  /** The service account crossgate uses; its password goes into the Secrets Manager secret. */
  serviceAccount: { username: string; password: string };
  data: GerritData;
  close: () => Promise<void>;
}

export interface StandInRequest {
  method: string;
  /** Raw path and query, as received (still percent-encoded). */
  url: string;
  /** Who authenticated with Basic (the real user), null for anonymous. */
  user: string | null;
  runAs: string | null;
  /** Account the request acted as, when it got that far. */
  effective: string | null;
  status: number;
  correlationId: string | null;
}

interface Fault {
  method?: string;
  path: RegExp;
  status: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
  delayMs: number;
  times: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const REALM = 'Basic realm="Gerrit Code Review"';
const MAX_BODY = 1024 * 1024;
const MAX_LOG = 2000;

export async function startGerritStandIn(
  options: { host?: string; port?: number; servicePassword?: string } = {},
): Promise<GerritStandIn> {
  const host = options.host ?? '127.0.0.1';
  const servicePassword = options.servicePassword ?? randomBytes(18).toString('base64url');
  const data = seedData(servicePassword);
  const log: StandInRequest[] = [];
  const faults: Fault[] = [];

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${String(error)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname.startsWith('/__stand-in/')) {
      inspect(req, res, url, body);
      return;
    }
    const entry: StandInRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      user: null,
      runAs: header(req, 'x-gerrit-runas') ?? null,
      effective: null,
      status: 0,
      correlationId: header(req, 'x-correlation-id') ?? null,
    };
    log.push(entry);
    if (log.length > MAX_LOG) log.shift();
    res.on('finish', () => (entry.status = res.statusCode));

    const fault = faults.find(
      (candidate) =>
        candidate.times > 0 &&
        (!candidate.method || candidate.method === entry.method) &&
        candidate.path.test(url.pathname),
    );
    if (fault) {
      fault.times -= 1;
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      if (res.destroyed) return;
      res.writeHead(fault.status, { 'content-type': fault.contentType, ...fault.headers });
      res.end(fault.body);
      return;
    }

    try {
      const authenticated = url.pathname.startsWith('/a/');
      const real = authenticated ? authenticate(req) : undefined;
      entry.user = real?.username ?? null;
      const effective = runAs(req, real);
      entry.effective = effective?.username ?? null;
      const rest = authenticated ? url.pathname.slice(2) : url.pathname;
      const result = route(req.method ?? 'GET', rest, url.searchParams, body, req, effective, real);
      sendJson(res, result.status ?? 200, result.value);
    } catch (error) {
      if (error instanceof HttpError) {
        sendText(res, error.status, error.message, error.headers);
        return;
      }
      throw error;
    }
  }

  function authenticate(req: IncomingMessage): Account {
    const authorization = header(req, 'authorization') ?? '';
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const account = data.accounts.find(
      (candidate) => candidate.username === decoded.slice(0, colon),
    );
    if (colon < 0 || !account || !sameSecret(account.password, decoded.slice(colon + 1))) {
      throw new HttpError(401, 'Unauthorized', { 'www-authenticate': REALM });
    }
    return account;
  }

  /** java/com/google/gerrit/httpd/RunAsFilter.java, in its order. */
  function runAs(req: IncomingMessage, real: Account | undefined): Account | undefined {
    const target = header(req, 'x-gerrit-runas');
    if (target === undefined) return real;
    if (!data.settings.enableRunAs) {
      throw new HttpError(403, 'X-Gerrit-RunAs disabled by auth.enableRunAs = false');
    }
    const mayRunAs =
      real !== undefined &&
      groupsOf(data, real).some((group) => accessRules.runAs.includes(group.name));
    if (!mayRunAs) throw new HttpError(403, 'not permitted to use X-Gerrit-RunAs');
    const account = resolveAccount(target);
    if (!account) throw new HttpError(403, 'no account matches X-Gerrit-RunAs');
    return account;
  }

  function resolveAccount(id: string): Account | undefined {
    return data.accounts.find(
      (account) => account.username === id || account.email === id || String(account.id) === id,
    );
  }

  function route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: string,
    req: IncomingMessage,
    user: Account | undefined,
    real: Account | undefined,
  ): { status?: number; value: unknown } {
    const segments = path.replace(/^\/+/, '').replace(/\/+$/, '').split('/').map(decodeSegment);
    const [collection, id, sub, rev, action] = segments;
    if (collection === 'changes') {
      if (segments.length === 1 && method === 'GET') return { value: queryChanges(query, user) };
      if (id === undefined) throw new HttpError(404, 'Not Found');
      if (segments.length === 2 && method === 'GET') {
        return { value: changeInfo(data, findChange(id), parseOptions(query)) };
      }
      if (segments.length === 3 && sub === 'submit' && method === 'POST') {
        return { value: submit(findChange(id), readInput(req, body), requireUser(user), real) };
      }
      if (
        segments.length === 5 &&
        sub === 'revisions' &&
        action === 'review' &&
        method === 'POST'
      ) {
        const change = findChange(id);
        return { value: review(change, rev ?? '', readInput(req, body), requireUser(user), real) };
      }
      if (segments.length <= 5 && ['GET', 'POST'].includes(method)) {
        throw new HttpError(404, 'Not Found');
      }
      throw new HttpError(405, 'Method Not Allowed');
    }
    if (collection === 'accounts' && id !== undefined && method === 'GET') {
      const account = id === 'self' ? requireUser(user) : resolveAccount(id);
      if (!account) throw new HttpError(404, `Account '${id}' not found`);
      if (segments.length === 2) return { value: accountInfo(account, true) };
      if (segments.length === 3 && sub === 'groups') return { value: accountGroups(data, account) };
    }
    throw new HttpError(404, 'Not Found');
  }

  function queryChanges(query: URLSearchParams, user: Account | undefined): unknown[] {
    const options = parseOptions(query);
    const limit = intParam(query.get('n') ?? query.get('limit'), 500);
    const start = intParam(query.get('S') ?? query.get('start'), 0);
    const predicates = parseQuery(query.get('q') ?? 'status:open', user);
    const matching = data.changes
      .filter((change) => predicates.every((predicate) => predicate(change)))
      .sort((a, b) => b.updated.getTime() - a.updated.getTime() || b.number - a.number);
    const page = matching
      .slice(start, start + limit)
      .map((change) => changeInfo(data, change, options));
    const last = page.at(-1);
    if (last && start + limit < matching.length) last._more_changes = true;
    return page;
  }

  function parseQuery(q: string, user: Account | undefined): ((change: Change) => boolean)[] {
    return q
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((term) => {
        if (/^\d+$/.test(term)) return (change: Change) => change.number === Number(term);
        const colon = term.indexOf(':');
        if (colon < 0)
          return (change: Change) => change.subject.toLowerCase().includes(term.toLowerCase());
        const operator = term.slice(0, colon);
        const value = term.slice(colon + 1).replace(/^"(.*)"$/, '$1');
        switch (operator) {
          case 'status':
          case 'is': {
            const statuses: Record<string, Change['status'][]> = {
              open: ['NEW'],
              new: ['NEW'],
              merged: ['MERGED'],
              abandoned: ['ABANDONED'],
              closed: ['MERGED', 'ABANDONED'],
            };
            const wanted = statuses[value];
            if (!wanted) throw new HttpError(400, `Unrecognized value: ${value}`);
            return (change: Change) => wanted.includes(change.status);
          }
          case 'project':
            return (change: Change) => change.project === value;
          case 'branch':
            return (change: Change) => change.branch === value;
          case 'change':
            return (change: Change) => String(change.number) === value || change.changeId === value;
          case 'owner': {
            const owner = value === 'self' ? user : resolveAccount(value);
            if (!owner) throw new HttpError(400, `Account '${value}' not found`);
            return (change: Change) => change.ownerId === owner.id;
          }
          default:
            throw new HttpError(400, `Unsupported operator ${operator}:${value}`);
        }
      });
  }

  function parseOptions(query: URLSearchParams): Set<string> {
    const options = query.getAll('o');
    for (const option of options) {
      if (!changeOptions.has(option)) {
        throw new HttpError(400, `"${option}" is not a valid value for "-o"`);
      }
    }
    return new Set(options);
  }

  function findChange(id: string): Change {
    const parts = id.split('~');
    const change = data.changes.find((candidate) => {
      if (parts.length === 1) {
        return /^\d+$/.test(id) ? String(candidate.number) === id : candidate.changeId === id;
      }
      if (parts.length === 2)
        return candidate.project === parts[0] && String(candidate.number) === parts[1];
      return (
        parts.length === 3 &&
        candidate.project === parts[0] &&
        candidate.branch === parts[1] &&
        candidate.changeId === parts[2]
      );
    });
    if (!change) throw new HttpError(404, `Not found: ${id}`);
    return change;
  }

  function review(
    change: Change,
    revisionId: string,
    input: Record<string, unknown>,
    user: Account,
    real: Account | undefined,
  ): unknown {
    const current = change.revisions.at(-1);
    const revision =
      revisionId === 'current'
        ? current
        : change.revisions.find(
            (candidate) =>
              String(candidate.number) === revisionId ||
              (revisionId.length >= 4 && candidate.sha.startsWith(revisionId)),
          );
    if (!revision || !current) throw new HttpError(404, `Not found: ${revisionId}`);
    const labels = (input.labels ?? {}) as Record<string, unknown>;
    if ('on_behalf_of' in input) {
      throw new HttpError(
        403,
        `not permitted to modify labels on behalf of "${String(input.on_behalf_of)}"`,
      );
    }
    for (const [label, value] of Object.entries(labels)) {
      const definition = labelDefinitions[label];
      if (!definition) throw new HttpError(400, `label "${label}" is not a configured label`);
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < definition.min ||
        value > definition.max
      ) {
        throw new HttpError(400, `label "${label}": ${String(value)} is not a valid value`);
      }
      const groups = groupsOf(data, user).map((group) => group.name);
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
        throw new HttpError(403, `Applying label "${label}": ${value} is restricted`);
      }
    }
    if (Object.keys(labels).length > 0) {
      if (change.status !== 'NEW')
        throw new HttpError(
          409,
          `change is ${change.status === 'MERGED' ? 'merged' : 'abandoned'}`,
        );
      if (revision !== current)
        throw new HttpError(409, `revision ${revision.sha} is not current revision`);
    }
    const now = new Date();
    for (const [label, value] of Object.entries(labels) as [string, number][]) {
      change.approvals = change.approvals.filter(
        (vote) => !(vote.label === label && vote.accountId === user.id),
      );
      if (value !== 0) {
        change.approvals.push({
          label,
          value,
          accountId: user.id,
          realAccountId: (real ?? user).id,
          date: now,
        });
      }
    }
    const comments = (input.comments ?? {}) as Record<string, { line?: number; message: string }[]>;
    for (const [path, list] of Object.entries(comments)) {
      for (const comment of list) {
        change.comments.push({
          path,
          line: comment.line,
          message: comment.message,
          authorId: user.id,
          realAuthorId: (real ?? user).id,
        });
      }
    }
    const votes = Object.entries(labels).map(
      ([label, value]) => `${label}${Number(value) > 0 ? '+' : ''}${String(value)}`,
    );
    const commentCount = Object.values(comments).reduce((sum, list) => sum + list.length, 0);
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
      realAuthorId: (real ?? user).id,
      date: now,
      message: text,
      revision: revision.number,
      ...(typeof input.tag === 'string' ? { tag: input.tag } : {}),
    });
    change.updated = now;
    return Object.keys(labels).length > 0 ? { labels } : {};
  }

  function submit(
    change: Change,
    input: Record<string, unknown>,
    user: Account,
    real: Account | undefined,
  ): unknown {
    if ('on_behalf_of' in input) {
      throw new HttpError(
        403,
        `not permitted to submit on behalf of "${String(input.on_behalf_of)}"`,
      );
    }
    const maySubmit = groupsOf(data, user).some((group) => accessRules.submit.includes(group.name));
    if (!maySubmit) throw new HttpError(403, 'submit not permitted');
    if (change.status !== 'NEW') {
      throw new HttpError(409, `change is ${change.status === 'MERGED' ? 'merged' : 'abandoned'}`);
    }
    const problems = submitProblems(change);
    if (problems.length > 0) throw new HttpError(409, problems.join(', '));
    const now = new Date();
    change.status = 'MERGED';
    change.submitted = now;
    change.updated = now;
    change.submitterId = user.id;
    change.realSubmitterId = (real ?? user).id;
    change.messages.push({
      id: randomBytes(20).toString('hex'),
      authorId: user.id,
      realAuthorId: (real ?? user).id,
      date: now,
      message: `Change has been successfully merged by ${user.name}`,
      revision: change.revisions.length,
    });
    return changeInfo(data, change, new Set());
  }

  function requireUser(user: Account | undefined): Account {
    if (!user) throw new HttpError(403, 'Authentication required');
    return user;
  }

  function readInput(req: IncomingMessage, body: string): Record<string, unknown> {
    if (body.trim() === '') return {};
    const contentType = header(req, 'content-type') ?? '';
    if (!contentType.startsWith('application/json')) {
      throw new HttpError(415, `Expected Content-Type: application/json`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new HttpError(400, 'Invalid JSON in request');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new HttpError(400, 'Expected JSON object');
    }
    return parsed as Record<string, unknown>;
  }

  /**
   * Inspection, loopback only:
   *   GET    /__stand-in/requests         what the stand-in received (never passwords)
   *   DELETE /__stand-in/requests         forget them
   *   GET    /__stand-in/changes/{n}      a change with who really voted, commented and submitted
   *   POST   /__stand-in/faults           {method?, path (regex), status, body?, contentType?, headers?, delayMs?, times?}
   *   DELETE /__stand-in/faults           drop pending faults
   *   POST   /__stand-in/settings         {enableRunAs?, servicePassword?} (password rotation)
   *   POST   /__stand-in/groups/{name}    {add?: [username], remove?: [username]}
   */
  function inspect(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const remote = req.socket.remoteAddress ?? '';
    if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote)) {
      sendText(res, 403, 'inspection is loopback only');
      return;
    }
    const path = url.pathname.slice('/__stand-in'.length);
    const input = body.trim() === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    const name = (id: number | undefined) =>
      data.accounts.find((account) => account.id === id)?.username ?? null;
    if (path === '/requests' && req.method === 'GET') return plainJson(res, log);
    if (path === '/requests' && req.method === 'DELETE') {
      log.length = 0;
      return plainJson(res, { ok: true });
    }
    const changeMatch = /^\/changes\/(\d+)$/.exec(path);
    if (changeMatch && req.method === 'GET') {
      const change = data.changes.find((candidate) => candidate.number === Number(changeMatch[1]));
      if (!change) return sendText(res, 404, 'no such change');
      return plainJson(res, {
        number: change.number,
        project: change.project,
        status: change.status,
        approvals: change.approvals.map((vote) => ({
          label: vote.label,
          value: vote.value,
          account: name(vote.accountId),
          realAccount: name(vote.realAccountId),
        })),
        messages: change.messages.map((message) => ({
          author: name(message.authorId),
          realAuthor: name(message.realAuthorId),
          message: message.message,
          tag: message.tag ?? null,
        })),
        comments: change.comments.map((comment) => ({
          path: comment.path,
          line: comment.line ?? null,
          message: comment.message,
          author: name(comment.authorId),
          realAuthor: name(comment.realAuthorId),
        })),
        submitter: name(change.submitterId),
        realSubmitter: name(change.realSubmitterId),
      });
    }
    if (path === '/faults' && req.method === 'POST') {
      faults.push({
        ...(typeof input.method === 'string' ? { method: input.method } : {}),
        path: new RegExp(String(input.path ?? '.*')),
        status: Number(input.status ?? 500),
        body: String(input.body ?? ''),
        contentType: String(input.contentType ?? 'text/plain; charset=UTF-8'),
        headers: (input.headers ?? {}) as Record<string, string>,
        delayMs: Number(input.delayMs ?? 0),
        times: Number(input.times ?? 1),
      });
      return plainJson(res, { ok: true });
    }
    if (path === '/faults' && req.method === 'DELETE') {
      faults.length = 0;
      return plainJson(res, { ok: true });
    }
    if (path === '/settings' && req.method === 'POST') {
      if (typeof input.enableRunAs === 'boolean') data.settings.enableRunAs = input.enableRunAs;
      if (typeof input.servicePassword === 'string') {
        const service = data.accounts.find((account) => account.username === SERVICE_ACCOUNT);
        if (service) service.password = input.servicePassword;
      }
      return plainJson(res, { ok: true });
    }
    const groupMatch = /^\/groups\/([^/]+)$/.exec(path);
    if (groupMatch && req.method === 'POST') {
      const group = data.groups.find(
        (candidate) => candidate.name === decodeURIComponent(groupMatch[1] ?? ''),
      );
      if (!group) return sendText(res, 404, 'no such group');
      for (const username of (input.add ?? []) as string[]) group.members.add(username);
      for (const username of (input.remove ?? []) as string[]) group.members.delete(username);
      return plainJson(res, { members: [...group.members] });
    }
    sendText(res, 404, 'Not Found');
  }

  const { url, port, close } = await listenOn(server, host, options.port);
  return {
    url,
    port,
    serviceAccount: { username: SERVICE_ACCOUNT, password: servicePassword },
    data,
    close,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `Invalid URL encoding: ${segment}`);
  }
}

function intParam(value: string | null, fallback: number): number {
  if (value === null) return fallback;
  if (!/^\d+$/.test(value)) throw new HttpError(400, `"${value}" is not a valid value for "-n"`);
  return Number(value);
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Gerrit's JSON: the XSSI line, then compact JSON. */
function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-disposition': 'attachment',
    'x-content-type-options': 'nosniff',
  });
  res.end(`)]}'\n${JSON.stringify(value)}\n`);
}

/** Gerrit's errors: plain text, one line. */
function sendText(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=UTF-8',
    'content-disposition': 'attachment',
    ...headers,
  });
  res.end(`${message}\n`);
}

/** Inspection answers are plain JSON for tests, without the XSSI line. */
function plainJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
