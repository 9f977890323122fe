import { parseGerritJson } from '../../shared/gerrit/gerrit-json';
import type { GerritStandIn } from '../../local/gerrit/server';

export interface GerritAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON after Gerrit's `)]}'` line (throws when the answer is not Gerrit JSON). */
  json: () => unknown;
}

/**
 * Calls a Gerrit stand-in the way crossgate does: `/a/` with the service account's Basic
 * credentials and `X-Gerrit-RunAs` for the caller (omit `runAs` to act as the service account).
 */
export function gerritBasicClient(standIn: GerritStandIn) {
  const { username, password } = standIn.serviceAccount;
  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const call = async (
    method: string,
    path: string,
    options: { runAs?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<GerritAnswer> => {
    const response = await fetch(`${standIn.url}${path}`, {
      method,
      headers: {
        authorization: basic,
        ...(options.runAs ? { 'x-gerrit-runas': options.runAs } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: () => parseGerritJson(text),
    };
  };
  return {
    get: (path: string, runAs?: string) => call('GET', path, runAs ? { runAs } : {}),
    post: (path: string, runAs: string, body: unknown) => call('POST', path, { runAs, body }),
    call,
  };
}
