import { findAccount, type Account, type GerritData } from '../model';
import { accountGroups, accountInfo } from '../views';
import {
  fail,
  intParam,
  json,
  requireUser,
  type GerritHandler,
  type GerritRequest,
} from './context';

function accountFor(request: GerritRequest): Account {
  const id = request.params.account ?? '';
  const account = id === 'self' ? requireUser(request.user) : findAccount(request.data, id);
  if (!account) throw fail(404, `Account '${id}' not found`);
  return account;
}

export const getAccount: GerritHandler = (request) => json(accountInfo(accountFor(request), true));

export const getAccountGroups: GerritHandler = (request) =>
  json(accountGroups(request.data, accountFor(request)));

type AccountPredicate = (account: Account) => boolean;

/** Account query operators the seed needs (rest-api-accounts.txt, user-search-accounts.txt). */
function parseAccountQuery(data: GerritData, q: string): AccountPredicate[] {
  return (q.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []).map((term): AccountPredicate => {
    const colon = term.indexOf(':');
    const operator = colon < 0 ? '' : term.slice(0, colon);
    const value = (colon < 0 ? term : term.slice(colon + 1))
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    switch (operator) {
      case '':
        return (account) =>
          [account.username, account.name, account.email].some(
            (field) =>
              field
                .toLowerCase()
                .split(/[\s@.]/)
                .some((word) => word.startsWith(value)) || field.toLowerCase().startsWith(value),
          );
      case 'name':
        return (account) => account.name.toLowerCase().includes(value);
      case 'username':
        return (account) => account.username.toLowerCase() === value;
      case 'email':
        return (account) => account.email.toLowerCase() === value;
      case 'is':
        if (value !== 'active' && value !== 'inactive') {
          throw fail(400, `Invalid query: is:${value}`);
        }
        return () => value === 'active';
      case 'account':
        return (account) => findAccount(data, value) === account;
      default:
        throw fail(400, `Unsupported operator ${operator}:${value}`);
    }
  });
}

/**
 * Query Account: `q` is required; `n`/`S` page; `o=DETAILS` adds name, e-mail and username
 * (plain answers carry `_account_id` only); the last of a truncated page has `_more_accounts`.
 */
export const queryAccounts: GerritHandler = (request) => {
  const q = request.query.get('q') ?? request.query.get('query');
  if (q === null) throw fail(400, 'missing query field');
  const options = request.query.getAll('o');
  for (const option of options) {
    if (option !== 'DETAILS' && option !== 'ALL_EMAILS') {
      throw fail(400, `"${option}" is not a valid value for "-o"`);
    }
  }
  const limit = intParam(request.query.get('n'), 500, 'n');
  const start = intParam(request.query.get('S'), 0, 'S');
  const predicates = parseAccountQuery(request.data, q);
  const matching = request.data.accounts.filter((account) => predicates.every((p) => p(account)));
  const details = options.length > 0;
  const page = matching.slice(start, start + limit).map((account): Record<string, unknown> => ({
    ...(details ? accountInfo(account, true) : { _account_id: account.id }),
    ...(options.includes('ALL_EMAILS') ? { secondary_emails: [] } : {}),
  }));
  const last = page.at(-1);
  if (last && start + limit < matching.length) last._more_accounts = true;
  return json(page);
};
