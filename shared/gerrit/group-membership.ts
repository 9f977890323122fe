import { ForbiddenError } from '../errors';
import type { GerritCall, GerritClient } from './gerrit-client';

export interface GroupMembershipOptions {
  client: Pick<GerritClient, 'accountGroups'>;
  /** How long one account's groups are trusted; 0 asks Gerrit every time. */
  ttlSeconds: number;
  /** Accounts remembered at most; the oldest entry goes first. */
  maxEntries?: number;
  now?: () => number;
}

interface CachedGroups {
  /** Names and UUIDs of the account's groups. */
  groups: Set<string>;
  fetchedAt: number;
}

/**
 * Gerrit group membership, read from Gerrit itself (`GET /a/accounts/self/groups` as the
 * caller) and cached per container for a short TTL: a policy that says "Release Managers"
 * follows Gerrit's own group data without asking Gerrit on every request. Lookups in flight
 * are shared, so a burst of requests by one caller costs one call.
 *
 * @example
 *   const membership = new GerritGroupMembership({ client, ttlSeconds: 60 });
 *   await membership.requireGroups(['Release Managers'], { runAs: 'alice', deadline });
 */
export class GerritGroupMembership {
  private readonly entries = new Map<string, CachedGroups>();
  private readonly inFlight = new Map<string, Promise<CachedGroups>>();
  private readonly now: () => number;
  private readonly maxEntries: number;
  /** Group lookups sent to Gerrit by this container; tests read it. */
  fetchCount = 0;

  constructor(private readonly options: GroupMembershipOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 1000;
  }

  /** Throws ForbiddenError naming the first group the caller is not in. */
  async requireGroups(required: readonly string[], call: GerritCall): Promise<void> {
    if (required.length === 0) return;
    const { groups } = await this.lookup(call);
    const missing = required.find((group) => !groups.has(group));
    if (missing !== undefined) {
      throw new ForbiddenError(
        `membership of the Gerrit group "${missing}" is required, and Gerrit does not list ${call.runAs} in it`,
        `gerritGroup:${missing}`,
      );
    }
  }

  private async lookup(call: GerritCall): Promise<CachedGroups> {
    const account = call.runAs;
    const cached = this.entries.get(account);
    if (cached && this.now() - cached.fetchedAt < this.options.ttlSeconds * 1000) return cached;
    let pending = this.inFlight.get(account);
    if (!pending) {
      pending = this.fetch(call).finally(() => this.inFlight.delete(account));
      this.inFlight.set(account, pending);
    }
    return pending;
  }

  private async fetch(call: GerritCall): Promise<CachedGroups> {
    this.fetchCount += 1;
    const list = await this.options.client.accountGroups(call);
    const groups = new Set<string>();
    for (const group of list) {
      if (group.name) groups.add(group.name);
      // Gerrit sends UUIDs URL-encoded in `id` (global%3ARegistered-Users).
      groups.add(group.id);
      groups.add(safeDecode(group.id));
    }
    const entry = { groups, fetchedAt: this.now() };
    this.entries.delete(call.runAs);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(call.runAs, entry);
    return entry;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
