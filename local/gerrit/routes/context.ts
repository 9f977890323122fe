import type { IncomingMessage } from 'node:http';
import { StandInError } from '../../stand-in';
import type { Account, Change, GerritData, Revision } from '../model';

/** What a Gerrit route handler gets: the request as Gerrit has authenticated it. */
export interface GerritRequest {
  req: IncomingMessage;
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: string;
  /** The account the request acts as (the RunAs target, else the Basic user). */
  user: Account | undefined;
  /** Who authenticated with Basic (the service account under RunAs). */
  real: Account | undefined;
  data: GerritData;
  /** The stand-in's own URL, for download URLs. */
  baseUrl: string;
}

/** JSON (sent with the XSSI line) or a plain-text body (file content, base64). */
export type GerritReply =
  | { status?: number; json: unknown }
  | { status?: number; text: string; headers?: Record<string, string> };

export type GerritHandler = (request: GerritRequest) => GerritReply | Promise<GerritReply>;

export const json = (value: unknown, status = 200): GerritReply => ({ status, json: value });

/** Gerrit's plain-text refusals. */
export const fail = (status: number, message: string): StandInError =>
  new StandInError(status, message);

export function requireUser(user: Account | undefined): Account {
  if (!user) throw fail(403, 'Authentication required');
  return user;
}

/** A change id as Gerrit takes it: number, Change-Id, project~number or project~branch~Change-Id. */
export function findChange(data: GerritData, id: string): Change {
  const parts = id.split('~');
  const change = data.changes.find((candidate) => {
    if (parts.length === 1) {
      return /^\d+$/.test(id) ? String(candidate.number) === id : candidate.changeId === id;
    }
    if (parts.length === 2) {
      return candidate.project === parts[0] && String(candidate.number) === parts[1];
    }
    return (
      parts.length === 3 &&
      candidate.project === parts[0] &&
      candidate.branch === parts[1] &&
      candidate.changeId === parts[2]
    );
  });
  if (!change) throw fail(404, `Not found: ${id}`);
  return change;
}

/** A revision id: `current`, a patch set number, or a commit SHA-1 (abbreviated to 4+). */
export function findRevision(change: Change, id: string): Revision {
  const revision =
    id === 'current'
      ? change.revisions.at(-1)
      : change.revisions.find(
          (candidate) =>
            String(candidate.number) === id || (id.length >= 4 && candidate.sha.startsWith(id)),
        );
  if (!revision) throw fail(404, `Not found: ${id}`);
  return revision;
}

/** A JSON request body: Gerrit wants `Content-Type: application/json` (415 otherwise). */
export function readInput(request: GerritRequest): Record<string, unknown> {
  if (request.body.trim() === '') return {};
  const contentType = request.req.headers['content-type'] ?? '';
  if (!contentType.startsWith('application/json')) {
    throw fail(415, 'Expected Content-Type: application/json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    throw fail(400, 'Invalid JSON in request');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw fail(400, 'Expected JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** A non-negative integer query parameter (`n`, `S`); Gerrit names the option it rejects. */
export function intParam(value: string | null, fallback: number, option: string): number {
  if (value === null) return fallback;
  if (!/^\d+$/.test(value)) throw fail(400, `"${value}" is not a valid value for "-${option}"`);
  return Number(value);
}

/** Changes are public to any signed-in caller in the seed; accounts by id, e-mail or username. */
export function accountOf(data: GerritData, id: number | undefined): Account | undefined {
  return data.accounts.find((account) => account.id === id);
}
