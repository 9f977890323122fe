import type { IncomingMessage } from 'node:http';
import { Router, type FaultInput, type FaultSwitch } from '../stand-in';
import { SERVICE_ACCOUNT, type GerritData } from './model';

/** One request as the stand-in saw it (never a password). */
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

export interface InspectionState {
  data: GerritData;
  log: StandInRequest[];
  faults: FaultSwitch;
}

type InspectionHandler = (
  state: InspectionState,
  params: Record<string, string>,
  input: Record<string, unknown>,
) => { status?: number; value: unknown };

const ok = { value: { ok: true } };

/**
 * Inspection and fault switches for tests, loopback only (the gateway never calls them):
 *   GET    /__stand-in/requests         what the stand-in received
 *   DELETE /__stand-in/requests         forget them
 *   GET    /__stand-in/changes/{n}      a change with who really voted, commented and submitted
 *   POST   /__stand-in/faults           FaultInput: {mode?, method?, path, status, body?, ...}
 *   DELETE /__stand-in/faults           drop pending faults (held requests are cut)
 *   POST   /__stand-in/settings         {enableRunAs?, servicePassword?} (password rotation)
 *   POST   /__stand-in/groups/{name}    {add?: [username], remove?: [username]}
 */
export const inspectionRouter = new Router<InspectionHandler>([
  { method: 'GET', path: '/requests', handler: (state) => ({ value: state.log }) },
  {
    method: 'DELETE',
    path: '/requests',
    handler: (state) => {
      state.log.length = 0;
      return ok;
    },
  },
  {
    method: 'GET',
    path: '/changes/:number',
    handler: ({ data }, params) => {
      const change = data.changes.find((candidate) => String(candidate.number) === params.number);
      if (!change) return { status: 404, value: { error: 'no such change' } };
      const name = (id: number | undefined) =>
        data.accounts.find((account) => account.id === id)?.username ?? null;
      return {
        value: {
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
          reviewers: Object.fromEntries(
            [...change.reviewers].map(([id, state]) => [name(id) ?? String(id), state]),
          ),
          submitter: name(change.submitterId),
          realSubmitter: name(change.realSubmitterId),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/faults',
    handler: (state, _params, input) => {
      state.faults.add(input as FaultInput);
      return ok;
    },
  },
  {
    method: 'DELETE',
    path: '/faults',
    handler: (state) => {
      state.faults.clear();
      return ok;
    },
  },
  {
    method: 'POST',
    path: '/settings',
    handler: ({ data }, _params, input) => {
      if (typeof input.enableRunAs === 'boolean') data.settings.enableRunAs = input.enableRunAs;
      if (typeof input.servicePassword === 'string') {
        const service = data.accounts.find((account) => account.username === SERVICE_ACCOUNT);
        if (service) service.password = input.servicePassword;
      }
      return ok;
    },
  },
  {
    method: 'POST',
    path: '/groups/:name',
    handler: ({ data }, params, input) => {
      const group = data.groups.find((candidate) => candidate.name === params.name);
      if (!group) return { status: 404, value: { error: 'no such group' } };
      for (const username of (input.add ?? []) as string[]) group.members.add(username);
      for (const username of (input.remove ?? []) as string[]) group.members.delete(username);
      return { value: { members: [...group.members] } };
    },
  },
]);

export function isLoopback(req: IncomingMessage): boolean {
  return ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');
}
