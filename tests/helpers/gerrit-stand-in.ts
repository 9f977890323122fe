import type { StandInRequest } from '../../local/gerrit/server';

/** Talks to a Gerrit stand-in's loopback inspection endpoint (`/__stand-in/...`). */
export function standInInspector(baseUrl: string) {
  const call = async (path: string, init: RequestInit = {}): Promise<unknown> => {
    const response = await fetch(`${baseUrl}/__stand-in${path}`, {
      ...init,
      headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`stand-in ${path}: HTTP ${response.status}`);
    return response.json();
  };
  return {
    requests: async () => (await call('/requests')) as StandInRequest[],
    clearRequests: () => call('/requests', { method: 'DELETE' }),
    change: async (number: number) => (await call(`/changes/${number}`)) as StandInChange,
    fault: (fault: {
      method?: string;
      path: string;
      status: number;
      body?: string;
      contentType?: string;
      headers?: Record<string, string>;
      delayMs?: number;
      times?: number;
    }) => call('/faults', { method: 'POST', body: JSON.stringify(fault) }),
    clearFaults: () => call('/faults', { method: 'DELETE' }),
    settings: (settings: { enableRunAs?: boolean; servicePassword?: string }) =>
      call('/settings', { method: 'POST', body: JSON.stringify(settings) }),
    group: (name: string, change: { add?: string[]; remove?: string[] }) =>
      call(`/groups/${encodeURIComponent(name)}`, { method: 'POST', body: JSON.stringify(change) }),
  };
}

export interface StandInChange {
  number: number;
  project: string;
  status: string;
  approvals: { label: string; value: number; account: string; realAccount: string }[];
  messages: { author: string; realAuthor: string; message: string; tag: string | null }[];
  comments: { path: string; line: number | null; message: string; author: string }[];
  submitter: string | null;
  realSubmitter: string | null;
}
