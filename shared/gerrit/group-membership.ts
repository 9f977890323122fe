import { LRUCache } from 'lru-cache';
import { ForbiddenError } from '../errors';
import type { GerritCall, GerritClient } from './gerrit-client';

/** What the membership cache reports; tests count here, the class keeps no counters. */
export interface GroupMembershipObserver {
  /** A group lookup is about to be sent to Gerrit for this account. */
  onFetch?: (account: string) => void;
}

export interface GroupMembershipOptions {
  client: Pick<GerritClient, 'accountGroups'>;
  /** How long one account's groups are trusted; 0 asks Gerrit every time. */
  ttlSeconds: number;
  /** Accounts remembered at most; the least recently used goes first. */
  maxEntries?: number;
  observer?: GroupMembershipObserver;
  now?: () => number;
}

interface CachedGroups {
  /** Names and UUIDs of the account's groups. */
  groups: Set<string>;
  fetchedAt: number;
}

/**
 * Gerrit group membership, read from Gerrit itself (`GET /a/accounts/self/groups` as the
 * caller) and cached per container for a short TTL over lru-cache's `fetch()`: a policy that
 * says "Release Managers" follows Gerrit's own group data without asking Gerrit on every
 * request. Lookups in flight are shared, so a burst of requests by one caller costs one
 * call. A failed lookup is not cached and serves nothing stale: membership decides access,
 * so it fails closed.
 *
 * @example
 *   const membership = new GerritGroupMembership({ client, ttlSeconds: 60 });
 *   await membership.requireGroups(['Release Managers'], { runAs: 'alice', deadline });
 */
export class GerritGroupMembership {
  private readonly entries: LRUCache<string, CachedGroups, GerritCall>;
  private readonly now: () => number;

  constructor(private readonly options: GroupMembershipOptions) {
    this.now = options.now ?? Date.now;
    this.entries = new LRUCache<string, CachedGroups, GerritCall>({
      max: options.maxEntries ?? 1000,
      // Frees entries of accounts not seen for a TTL; 0 (no caching) leaves it to `max`.
      ttl: Math.max(0, options.ttlSeconds * 1000),
      ttlResolution: 0,
      perf: { now: this.now },
      fetchMethod: (account, _stale, { context }) => this.fetch(account, context),
    });
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
    // Freshness is decided here, to the millisecond; lru-cache's ttl only frees memory.
    const cached = this.entries.peek(call.runAs, { allowStale: true });
    const forceRefresh =
      cached !== undefined && this.now() - cached.fetchedAt >= this.options.ttlSeconds * 1000;
    const entry = await this.entries.fetch(call.runAs, { context: call, forceRefresh });
    // fetch() resolves undefined only for an aborted fetch, which this cache never does.
    if (!entry) throw new Error('the Gerrit group lookup was abandoned');
    return entry;
  }

  private async fetch(account: string, call: GerritCall): Promise<CachedGroups> {
    this.options.observer?.onFetch?.(account);
    const list = await this.options.client.accountGroups(call);
    const groups = new Set<string>();
    for (const group of list) {
      if (group.name) groups.add(group.name);
      // Gerrit sends UUIDs URL-encoded in `id` (global%3ARegistered-Users).
      groups.add(group.id);
      groups.add(safeDecode(group.id));
    }
    return { groups, fetchedAt: this.now() };
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
