/**
 * The Gerrit REST endpoints crossgate knows how to guard (Documentation/rest-api-*.txt). Config
 * (`gerrit.endpoints`) picks which of them callers may reach, with a policy each; an endpoint
 * the gateway does not know cannot be listed, because the gateway would not know which of its
 * parameters are ids to check, which body to validate, or how to scrub its answer for agents.
 */

/** What the gateway does around an endpoint: checks before, and how an agent's answer is scrubbed. */
export type GerritEndpointKind =
  /** Query Changes: `q` may repeat (a list of lists), `n` is capped; sensitive projects filtered. */
  | 'queryChanges'
  /** A ChangeInfo (get, detail). */
  | 'change'
  /** Any other JSON under a change (files, commit, messages, comments). */
  | 'changeJson'
  /** A DiffInfo: each side scanned as one text. */
  | 'diff'
  /** A file's content, base64 text. */
  | 'content'
  /** Set Review: ReviewInput validated, label policies. */
  | 'review'
  /** Submit: SubmitInput validated. */
  | 'submit'
  /** List Projects: sensitive projects left out for agents. */
  | 'projects'
  /** JSON that is not about a change (accounts, groups, server version). */
  | 'json';

export interface KnownGerritEndpoint {
  method: 'GET' | 'POST';
  /** Gerrit's path after `/a`; `{name}` is one path segment. */
  path: string;
  kind: GerritEndpointKind;
  /** Query parameters Gerrit documents for it; others are 400 (Gerrit refuses unknown options too). */
  query: readonly string[];
}

const DIFF_PARAMETERS = [
  'base',
  'parent',
  'context',
  'intraline',
  'whitespace',
  'weblinks-only',
] as const;

export const KNOWN_GERRIT_ENDPOINTS: readonly KnownGerritEndpoint[] = [
  { method: 'GET', path: '/changes/', kind: 'queryChanges', query: ['q', 'n', 'S', 'start', 'o'] },
  { method: 'GET', path: '/changes/{id}', kind: 'change', query: ['o'] },
  { method: 'GET', path: '/changes/{id}/detail', kind: 'change', query: ['o'] },
  {
    method: 'GET',
    path: '/changes/{id}/revisions/{rev}/files/',
    kind: 'changeJson',
    query: ['base', 'parent', 'reviewed', 'q'],
  },
  {
    method: 'GET',
    path: '/changes/{id}/revisions/{rev}/files/{file}/diff',
    kind: 'diff',
    query: DIFF_PARAMETERS,
  },
  {
    method: 'GET',
    path: '/changes/{id}/revisions/{rev}/files/{file}/content',
    kind: 'content',
    query: ['parent'],
  },
  {
    method: 'GET',
    path: '/changes/{id}/revisions/{rev}/commit',
    kind: 'changeJson',
    query: ['links'],
  },
  { method: 'GET', path: '/changes/{id}/messages', kind: 'changeJson', query: [] },
  {
    method: 'GET',
    path: '/changes/{id}/comments',
    kind: 'changeJson',
    query: ['enable-context', 'context-padding'],
  },
  { method: 'POST', path: '/changes/{id}/revisions/{rev}/review', kind: 'review', query: [] },
  { method: 'POST', path: '/changes/{id}/submit', kind: 'submit', query: [] },
  { method: 'POST', path: '/changes/{id}/revisions/{rev}/submit', kind: 'submit', query: [] },
  { method: 'GET', path: '/accounts/self', kind: 'json', query: [] },
  { method: 'GET', path: '/accounts/self/groups', kind: 'json', query: [] },
  {
    method: 'GET',
    path: '/projects/',
    kind: 'projects',
    query: ['p', 'r', 'm', 'n', 'S', 'd', 'b', 'state', 'type'],
  },
  { method: 'GET', path: '/groups/{group}/members/', kind: 'json', query: ['recursive'] },
  { method: 'GET', path: '/config/server/version', kind: 'json', query: [] },
];

/** `/changes/` and `/changes` are one endpoint to Gerrit. */
export function normalizeEndpointPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** The known endpoint a config entry names, or undefined. */
export function knownGerritEndpoint(method: string, path: string): KnownGerritEndpoint | undefined {
  const wanted = normalizeEndpointPath(path);
  return KNOWN_GERRIT_ENDPOINTS.find(
    (endpoint) => endpoint.method === method && normalizeEndpointPath(endpoint.path) === wanted,
  );
}
