import type { Route } from '../../stand-in';
import { getAccount, getAccountGroups, queryAccounts } from './accounts';
import {
  getChange,
  getChangeDetail,
  getCommit,
  getContent,
  getDiff,
  getPatch,
  listFiles,
  queryChanges,
} from './changes';
import type { GerritHandler } from './context';
import { listGroupMembers } from './groups';
import { getProject, listProjects } from './projects';
import { setReview, submitChangeRoute, submitRevisionRoute } from './review';
import { getVersion } from './server-config';

/**
 * The Gerrit REST endpoints the stand-in serves, paths relative to `/a/` (or `/` for
 * anonymous calls). A new endpoint is one entry here and its handler.
 */
export const gerritRoutes: Route<GerritHandler>[] = [
  { method: 'GET', path: '/changes', handler: queryChanges },
  { method: 'GET', path: '/changes/:change', handler: getChange },
  { method: 'GET', path: '/changes/:change/detail', handler: getChangeDetail },
  { method: 'POST', path: '/changes/:change/submit', handler: submitChangeRoute },
  { method: 'GET', path: '/changes/:change/revisions/:revision/files', handler: listFiles },
  {
    method: 'GET',
    path: '/changes/:change/revisions/:revision/files/:file/diff',
    handler: getDiff,
  },
  {
    method: 'GET',
    path: '/changes/:change/revisions/:revision/files/:file/content',
    handler: getContent,
  },
  { method: 'GET', path: '/changes/:change/revisions/:revision/commit', handler: getCommit },
  { method: 'GET', path: '/changes/:change/revisions/:revision/patch', handler: getPatch },
  { method: 'POST', path: '/changes/:change/revisions/:revision/review', handler: setReview },
  {
    method: 'POST',
    path: '/changes/:change/revisions/:revision/submit',
    handler: submitRevisionRoute,
  },
  { method: 'GET', path: '/accounts', handler: queryAccounts },
  { method: 'GET', path: '/accounts/:account', handler: getAccount },
  { method: 'GET', path: '/accounts/:account/groups', handler: getAccountGroups },
  { method: 'GET', path: '/projects', handler: listProjects },
  { method: 'GET', path: '/projects/:project', handler: getProject },
  { method: 'GET', path: '/groups/:group/members', handler: listGroupMembers },
  { method: 'GET', path: '/config/server/version', handler: getVersion },
];
