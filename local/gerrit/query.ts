import { StandInError } from '../stand-in';
import { findAccount, type Account, type Change, type GerritData } from './model';

export type ChangePredicate = (change: Change) => boolean;

const STATUSES: Record<string, Change['status'][]> = {
  open: ['NEW'],
  new: ['NEW'],
  pending: ['NEW'],
  merged: ['MERGED'],
  abandoned: ['ABANDONED'],
  closed: ['MERGED', 'ABANDONED'],
};

/**
 * The part of Gerrit's change query language the seed needs: terms joined by AND (space),
 * `status:`/`is:`, `project:`, `branch:`, `change:`, `owner:`, `reviewer:`, `file:`, a bare
 * change number, and free text in the subject. An unknown operator is 400, as in Gerrit.
 */
export function parseChangeQuery(
  data: GerritData,
  q: string,
  user: Account | undefined,
): ChangePredicate[] {
  const account = (value: string) => {
    const found = value === 'self' ? user : findAccount(data, value);
    if (!found) throw new StandInError(400, `Account '${value}' not found`);
    return found;
  };
  return (q.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []).map((term): ChangePredicate => {
    if (/^\d+$/.test(term)) return (change) => change.number === Number(term);
    const colon = term.indexOf(':');
    if (colon < 0) {
      const text = term.replace(/^"(.*)"$/, '$1').toLowerCase();
      return (change) => change.subject.toLowerCase().includes(text);
    }
    const operator = term.slice(0, colon);
    const value = term.slice(colon + 1).replace(/^"(.*)"$/, '$1');
    switch (operator) {
      case 'status':
      case 'is': {
        const wanted = STATUSES[value];
        if (!wanted) throw new StandInError(400, `Unrecognized value: ${value}`);
        return (change) => wanted.includes(change.status);
      }
      case 'project':
        return (change) => change.project === value;
      case 'projects':
        return (change) => change.project.startsWith(value);
      case 'branch':
        return (change) => change.branch === value;
      case 'change':
        return (change) => String(change.number) === value || change.changeId === value;
      case 'owner': {
        const owner = account(value);
        return (change) => change.ownerId === owner.id;
      }
      case 'reviewer': {
        const reviewer = account(value);
        return (change) => change.reviewers.get(reviewer.id) === 'REVIEWER';
      }
      case 'cc': {
        const cc = account(value);
        return (change) => change.reviewers.get(cc.id) === 'CC';
      }
      case 'file':
        return (change) => change.files.some((file) => file.path.includes(value));
      default:
        throw new StandInError(400, `Unsupported operator ${operator}:${value}`);
    }
  });
}
