import type { GerritAnswer } from './gerrit-client';

/**
 * Sensitive projects (`gerrit.sensitiveProjects`) as agents see them: not at all. Kept apart
 * from agent-view.ts so the check before a call loads no scrubber.
 */

/** Gerrit's own answer for a change it cannot find (plain text, as RestApiServlet writes it). */
export function gerritNotFound(id: string): GerritAnswer {
  return {
    status: 404,
    body: `Not found: ${id}\n`,
    headers: { 'content-type': 'text/plain;charset=utf-8' },
  };
}

/** Whether a ChangeInfo belongs to a sensitive project. */
export function isSensitiveChange(value: unknown, sensitive: ReadonlySet<string>): boolean {
  return isRecord(value) && typeof value.project === 'string' && sensitive.has(value.project);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
