import type { GerritRouteName } from './config/gerrit-schema';

/**
 * API Gateway route keys of the backend routes, in one place: the functions serve them, and
 * the policy catalog (/me) lists them. Framework-free, so /me loads no backend code.
 */
export const RUN_ROUTE = 'ANY /run/{service}/{proxy+}';
export const SPANNER_ROUTE = 'POST /spanner/{query}';

/** Route keys of the gerrit function, by the name of their policy in config. */
export const GERRIT_ROUTES = {
  query: 'GET /gerrit/changes',
  get: 'GET /gerrit/changes/{id}',
  review: 'POST /gerrit/changes/{id}/revisions/{rev}/review',
  submit: 'POST /gerrit/changes/{id}/submit',
} as const satisfies Record<GerritRouteName, string>;
