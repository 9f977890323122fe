import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { StandInError } from '../stand-in';
import { accessRules, findAccount, groupsOf, type Account, type GerritData } from './model';

const REALM = 'Basic realm="Gerrit Code Review"';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** HTTP Basic against the accounts' HTTP passwords: 401 with Gerrit's challenge otherwise. */
export function authenticate(data: GerritData, req: IncomingMessage): Account {
  const authorization = header(req, 'authorization') ?? '';
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
  const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const account = data.accounts.find((candidate) => candidate.username === decoded.slice(0, colon));
  if (colon < 0 || !account || !sameSecret(account.password, decoded.slice(colon + 1))) {
    throw new StandInError(401, 'Unauthorized', { 'www-authenticate': REALM });
  }
  return account;
}

/** java/com/google/gerrit/httpd/RunAsFilter.java, in its order and with its messages. */
export function runAs(
  data: GerritData,
  req: IncomingMessage,
  real: Account | undefined,
): Account | undefined {
  const target = header(req, 'x-gerrit-runas');
  if (target === undefined) return real;
  if (!data.settings.enableRunAs) {
    throw new StandInError(403, 'X-Gerrit-RunAs disabled by auth.enableRunAs = false');
  }
  const mayRunAs =
    real !== undefined &&
    groupsOf(data, real).some((group) => accessRules.runAs.includes(group.name));
  if (!mayRunAs) throw new StandInError(403, 'not permitted to use X-Gerrit-RunAs');
  const account = findAccount(data, target);
  if (!account) throw new StandInError(403, 'no account matches X-Gerrit-RunAs');
  return account;
}
