import { UpstreamError } from '../errors';
import { scrubFileContent } from '../scrub/gerrit-content-scrub';
import { scrubDiffInfo } from '../scrub/gerrit-diff-scrub';
import { scrubGerritJson } from '../scrub/gerrit-entity-scrub';
import type { DiffInfo } from '../scrub/gerrit-shapes';
import type { ScrubOptions } from '../scrub/scrub-options';
import { scrubText } from '../scrub/scrub-text';
import type { RedactionCounts } from '../scrub/secret-detector';
import type { GerritAnswer } from './gerrit-client';
import type { GerritEndpointKind } from './gerrit-endpoints';
import { GerritJsonError, parseGerritJson, XSSI_PREFIX } from './gerrit-json';
import { gerritNotFound, isSensitiveChange } from './sensitive-projects';

export interface AgentViewOptions extends ScrubOptions {
  /** Projects an agent never sees. */
  sensitiveProjects: ReadonlySet<string>;
}

export interface AgentView {
  answer: GerritAnswer;
  /** Redactions by rule; never the values. */
  redactions: RedactionCounts;
}

/**
 * What an agent gets of Gerrit's successful answer: sensitive projects' changes and projects
 * left out, and every text scrubbed of credentials (shared/scrub), then written back in
 * Gerrit's form (`)]}'` line, JSON) so the agent's Gerrit client reads it as Gerrit's.
 * A sensitive project's change is answered as Gerrit answers a change that does not exist.
 */
export async function agentView(
  kind: GerritEndpointKind,
  answer: GerritAnswer,
  requestedId: string | undefined,
  options: AgentViewOptions,
): Promise<AgentView> {
  if (kind === 'content') {
    const scrubbed = await scrubFileContent(answer.body, options);
    return { answer: { ...answer, body: scrubbed.content }, redactions: scrubbed.redactions };
  }
  if (answer.body === '') return { answer, redactions: {} };
  const value = gerritJsonOf(answer.body);

  if (kind === 'change' && isSensitiveChange(value, options.sensitiveProjects)) {
    return { answer: gerritNotFound(requestedId ?? ''), redactions: {} };
  }
  const visible =
    kind === 'queryChanges'
      ? withoutSensitiveChanges(value, options.sensitiveProjects)
      : kind === 'projects'
        ? withoutSensitiveProjects(value, options.sensitiveProjects)
        : value;
  const scrubbed =
    kind === 'diff'
      ? await scrubDiffInfo(diffInfoOf(visible), options)
      : await scrubGerritJson(visible, options);
  return {
    answer: { ...answer, body: `${XSSI_PREFIX}\n${JSON.stringify(scrubbed.value)}\n` },
    redactions: scrubbed.redactions,
  };
}

/** Gerrit's error text for an agent: it can quote what it was sent, so it is scanned too. */
export async function agentErrorView(answer: GerritAnswer): Promise<AgentView> {
  const scrubbed = await scrubText(answer.body);
  return { answer: { ...answer, body: scrubbed.text }, redactions: scrubbed.redactions };
}

function gerritJsonOf(body: string): unknown {
  try {
    return parseGerritJson(body);
  } catch (error) {
    // Fail closed: an answer the gateway cannot read is not passed to an agent unscanned.
    if (error instanceof GerritJsonError) {
      throw new UpstreamError(`Gerrit's answer was not Gerrit JSON: ${error.message}`);
    }
    throw error;
  }
}

/**
 * A query's list, or list of lists (several `q`), without sensitive projects' changes. Gerrit
 * marks a further page with `_more_changes` on the last change; if that one is removed, the
 * mark moves to the new last change.
 */
function withoutSensitiveChanges(value: unknown, sensitive: ReadonlySet<string>): unknown {
  if (!Array.isArray(value)) throw new UpstreamError('Gerrit answered a query with no list');
  if (value.every(Array.isArray)) {
    return value.map((list: unknown[]) => filterChanges(list, sensitive));
  }
  return filterChanges(value, sensitive);
}

function filterChanges(list: unknown[], sensitive: ReadonlySet<string>): unknown[] {
  const kept = list.filter((change) => !isSensitiveChange(change, sensitive));
  const last = list.at(-1);
  const newLast = kept.at(-1);
  if (isRecord(last) && last._more_changes === true && isRecord(newLast) && newLast !== last) {
    kept[kept.length - 1] = { ...newLast, _more_changes: true };
  }
  return kept;
}

/** List Projects answers a map of name -> ProjectInfo. */
function withoutSensitiveProjects(value: unknown, sensitive: ReadonlySet<string>): unknown {
  if (!isRecord(value)) throw new UpstreamError('Gerrit answered a project list with no map');
  return Object.fromEntries(Object.entries(value).filter(([name]) => !sensitive.has(name)));
}

function diffInfoOf(value: unknown): DiffInfo {
  if (!isRecord(value) || !Array.isArray(value.content)) {
    throw new UpstreamError('Gerrit answered a diff in a shape the gateway does not know');
  }
  return { ...value, content: value.content };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
