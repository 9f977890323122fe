import { accountInfo } from '../views';
import { fail, json, type GerritHandler } from './context';

/**
 * List Group Members: the group by UUID, name or numeric id; members as detailed
 * AccountInfo, sorted by name. System groups compute their members and have no list (404).
 */
export const listGroupMembers: GerritHandler = (request) => {
  const id = request.params.group ?? '';
  const group = request.data.groups.find(
    (candidate) =>
      candidate.uuid === id || candidate.name === id || String(candidate.groupId) === id,
  );
  if (!group || group.uuid.startsWith('global:')) throw fail(404, `Not found: ${id}`);
  return json(
    request.data.accounts
      .filter((account) => group.members.has(account.username))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((account) => accountInfo(account, true)),
  );
};
