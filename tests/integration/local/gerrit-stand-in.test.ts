import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGerritStandIn, type GerritStandIn } from '../../../local/gerrit/server';
import { parseGerritJson } from '../../../shared/gerrit/gerrit-json';
import { gerritFixtureJson } from '../../helpers/gerrit-fixtures';

let standIn: GerritStandIn;
let basic: string;

beforeAll(async () => {
  standIn = await startGerritStandIn();
  const { username, password } = standIn.serviceAccount;
  basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
});

afterAll(async () => {
  await standIn?.close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${standIn.url}${path}`, { headers });
  return { response, text: await response.text() };
}

/** Every member of the documented example is present in the stand-in's answer, with the same JSON type. */
function expectSameShape(actual: unknown, documented: unknown, path = '$'): void {
  if (Array.isArray(documented)) {
    expect(Array.isArray(actual), path).toBe(true);
    return;
  }
  if (documented !== null && typeof documented === 'object') {
    expect(typeof actual, path).toBe('object');
    for (const [key, value] of Object.entries(documented)) {
      if (key === '_more_changes') continue;
      expect(actual, `${path}.${key}`).toHaveProperty([key]);
      expectSameShape((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  expect(typeof actual, path).toBe(typeof documented);
}

describe('Gerrit stand-in speaks the documented dialect', () => {
  it('error flow: /a/ without credentials is 401 with a Basic challenge', async () => {
    const { response } = await get('/a/changes/');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="Gerrit Code Review"');
    const wrong = await get('/a/changes/', {
      authorization: `Basic ${Buffer.from('crossgate-svc:nope').toString('base64')}`,
    });
    expect(wrong.response.status).toBe(401);
  });

  it('error flow: anonymous callers may not use X-Gerrit-RunAs', async () => {
    const { response, text } = await get('/changes/', { 'x-gerrit-runas': 'alice' });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(text).toBe('not permitted to use X-Gerrit-RunAs\n');
  });

  it('happy flow: Get Change and Query Changes follow the documented ChangeInfo', async () => {
    const change = await get('/a/changes/demo~2', {
      authorization: basic,
      'x-gerrit-runas': 'bob',
    });
    expect(change.response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(change.text.startsWith(")]}'\n")).toBe(true);
    expectSameShape(parseGerritJson(change.text), gerritFixtureJson('get-change.json'));

    const query = await get('/a/changes/?q=status:open&n=2', {
      authorization: basic,
      'x-gerrit-runas': 'bob',
    });
    const changes = parseGerritJson(query.text) as Record<string, unknown>[];
    const documented = gerritFixtureJson('query-changes.json') as unknown[];
    expect(changes).toHaveLength(2);
    for (const item of changes) expectSameShape(item, documented[0]);
    expect(changes.at(-1)?._more_changes).toBe(true);
  });

  it('happy flow: account and group answers follow the documented AccountInfo and GroupInfo', async () => {
    const self = await get('/a/accounts/self', { authorization: basic, 'x-gerrit-runas': 'alice' });
    expectSameShape(parseGerritJson(self.text), gerritFixtureJson('get-account-self.json'));
    const groups = await get('/a/accounts/self/groups', {
      authorization: basic,
      'x-gerrit-runas': 'alice',
    });
    const list = parseGerritJson(groups.text) as Record<string, unknown>[];
    const documented = gerritFixtureJson('list-account-groups.json') as Record<string, unknown>[];
    expect(list.map((group) => group.id)).toEqual(
      expect.arrayContaining(['global%3AAnonymous-Users', 'global%3ARegistered-Users']),
    );
    // System groups against their documented twins, other groups against the documented custom group.
    for (const group of list) {
      const twin = documented.find((candidate) => candidate.id === group.id) ?? documented[1];
      expectSameShape(group, twin);
    }
  });

  it('happy flow: Set Review and Submit answer with the documented shapes', async () => {
    const post = (path: string, runAs: string, body: unknown) =>
      fetch(`${standIn.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: basic,
          'x-gerrit-runas': runAs,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, text: await response.text() }));
    const review = await post('/a/changes/demo~10/revisions/current/review', 'alice', {
      labels: { 'Code-Review': 2 },
    });
    expect(review.status).toBe(200);
    expectSameShape(parseGerritJson(review.text), gerritFixtureJson('set-review-response.json'));
    const submitted = await post('/a/changes/demo~10/submit', 'alice', {});
    expectSameShape(
      parseGerritJson(submitted.text),
      gerritFixtureJson('submit-change-response.json'),
    );
    expect(parseGerritJson(submitted.text)).toMatchObject({ status: 'MERGED' });
    const again = await post('/a/changes/demo~10/submit', 'alice', {});
    expect(again).toEqual({ status: 409, text: 'change is merged\n' });
  });
});
