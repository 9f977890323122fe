import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGerritStandIn, type GerritStandIn } from '../../../local/gerrit/server';
import { changeOptions } from '../../../local/gerrit/views';
import { gerritBasicClient } from '../../helpers/gerrit-basic-client';
import { gerritFixtureJson } from '../../helpers/gerrit-fixtures';

/**
 * The Gerrit stand-in against Gerrit's REST documentation (rest-api-changes.txt,
 * rest-api-accounts.txt, rest-api-projects.txt, rest-api-groups.txt, rest-api-config.txt)
 * and the documented examples under tests/fixtures/gerrit.
 */

let standIn: GerritStandIn;
let gerrit: ReturnType<typeof gerritBasicClient>;

type Json = Record<string, unknown>;

beforeAll(async () => {
  standIn = await startGerritStandIn();
  gerrit = gerritBasicClient(standIn);
});

afterAll(async () => {
  await standIn?.close();
});

/** Every key of the documented example is present in the answer (the answer may carry more). */
function expectDocumentedKeys(actual: unknown, documented: unknown): void {
  expect(typeof actual).toBe('object');
  for (const key of Object.keys(documented as Json)) expect(actual).toHaveProperty([key]);
}

describe('Query Changes', () => {
  it('happy flow: several q give a list of lists, in order, each paged by n with _more_changes', async () => {
    const answer = await gerrit.get(
      '/a/changes/?q=status:open&q=project:team/tools&q=status:merged&n=2',
      'bob',
    );
    expect(answer.status).toBe(200);
    const lists = answer.json() as Json[][];
    expect(lists).toHaveLength(3);
    expect(lists[0]).toHaveLength(2);
    expect(lists[0]?.at(-1)?._more_changes).toBe(true);
    expect(lists[1]?.map((change) => change._number)).toEqual([7]);
    expect(lists[1]?.[0]).not.toHaveProperty('_more_changes');
    expect(lists[2]?.every((change) => change.status === 'MERGED')).toBe(true);
  });

  it('happy flow: one q gives a flat list, and S skips', async () => {
    const first = (await gerrit.get('/a/changes/?q=status:open&n=3', 'bob')).json() as Json[];
    const second = (await gerrit.get('/a/changes/?q=status:open&n=3&S=3', 'bob')).json() as Json[];
    expect(first.map((change) => change._number)).toHaveLength(3);
    const numbers = [...first, ...second].map((change) => change._number);
    expect(new Set(numbers).size).toBe(6);
  });

  it('happy flow: every ListChangesOption is accepted, alone and all together', async () => {
    for (const option of changeOptions) {
      const answer = await gerrit.get(`/a/changes/?q=change:2&o=${option}`, 'bob');
      expect(answer.status, option).toBe(200);
    }
    const all = [...changeOptions].map((option) => `o=${option}`).join('&');
    expect((await gerrit.get(`/a/changes/?q=change:2&${all}`, 'bob')).status).toBe(200);
  });

  it('error flow: an unknown option is 400 in plain text, as Gerrit answers', async () => {
    const answer = await gerrit.get('/a/changes/?q=status:open&o=NO_SUCH_OPTION', 'bob');
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(answer.text).toBe('"NO_SUCH_OPTION" is not a valid value for "-o"\n');
  });

  it('happy flow: CURRENT_COMMIT, CURRENT_FILES and DOWNLOAD_COMMANDS fill the current revision', async () => {
    const [change] = (
      await gerrit.get(
        '/a/changes/?q=change:1&o=CURRENT_REVISION&o=CURRENT_COMMIT&o=CURRENT_FILES&o=DOWNLOAD_COMMANDS',
        'bob',
      )
    ).json() as Json[];
    const revisions = change?.revisions as Record<string, Json>;
    expect(Object.keys(revisions)).toEqual([change?.current_revision]);
    const current = revisions[String(change?.current_revision)] as Json;
    expect(current._number).toBe(2);
    const commit = current.commit as Json;
    expect(commit.subject).toBe('Add greeting endpoint');
    expect(String(commit.message)).toMatch(/\n\nChange-Id: I[0-9a-f]{40}\n$/);
    expect(commit).not.toHaveProperty('commit');
    expect(current.files).toEqual({
      'src/greeting.ts': { status: 'A', lines_inserted: 3, size_delta: 79, size: 79 },
      'src/routes.ts': { lines_inserted: 2, size_delta: 64, size: 148 },
    });
    const fetchInfo = (current.fetch as Record<string, Json>)['anonymous http'] as Json;
    expect(fetchInfo.ref).toBe('refs/changes/01/1/2');
    expect((fetchInfo.commands as Json).Checkout).toBe(
      `git fetch ${standIn.url}/demo refs/changes/01/1/2 && git checkout FETCH_HEAD`,
    );
    expect(change).toMatchObject({ insertions: 5, deletions: 0 });
  });

  it('happy flow: SKIP_DIFFSTAT leaves out insertions, deletions and file line counts', async () => {
    const [change] = (
      await gerrit.get(
        '/a/changes/?q=change:1&o=SKIP_DIFFSTAT&o=CURRENT_REVISION&o=CURRENT_FILES',
        'bob',
      )
    ).json() as Json[];
    expect(change).not.toHaveProperty('insertions');
    expect(change).not.toHaveProperty('deletions');
    const files = Object.values(
      (change?.revisions as Record<string, Json>)[String(change?.current_revision)]?.files as Json,
    );
    expect(files.every((file) => !('lines_inserted' in (file as Json)))).toBe(true);
  });

  it('happy flow: CURRENT_ACTIONS offers submit only to those who may submit', async () => {
    const actions = async (runAs: string) => {
      const change = (
        await gerrit.get('/a/changes/demo~3?o=CURRENT_REVISION&o=CURRENT_ACTIONS', runAs)
      ).json() as Json;
      return (change.revisions as Record<string, Json>)[String(change.current_revision)]
        ?.actions as Json;
    };
    expect(await actions('alice')).toHaveProperty('submit');
    expect(await actions('bob')).not.toHaveProperty('submit');
    expect(await actions('bob')).toHaveProperty('rebase');
    const withoutRevision = (await gerrit.get('/a/changes/demo~3?o=CURRENT_ACTIONS', 'bob')).json();
    expect(withoutRevision).not.toHaveProperty('revisions');
    expect(withoutRevision).toHaveProperty(['actions', 'abandon']);
  });

  it('happy flow: REVIEWED is set once the caller reviewed the current patch set', async () => {
    const reviewed = async () =>
      ((await gerrit.get('/a/changes/?q=change:4&o=REVIEWED', 'bob')).json() as Json[])[0]
        ?.reviewed;
    expect(await reviewed()).toBeUndefined();
    expect(
      (await gerrit.post('/a/changes/4/revisions/current/review', 'bob', { message: 'seen' }))
        .status,
    ).toBe(200);
    expect(await reviewed()).toBe(true);
  });
});

describe('Get Change, Detail, files, diff, content, commit', () => {
  it('happy flow: /detail carries labels with all votes, messages and reviewers', async () => {
    const detail = (await gerrit.get('/a/changes/demo~2/detail', 'bob')).json() as Json;
    expectDocumentedKeys(detail, gerritFixtureJson('get-change.json'));
    expect(detail.labels).toHaveProperty(['Code-Review', 'all']);
    expect(detail.labels).toHaveProperty(['Code-Review', 'values']);
    expect(detail).toHaveProperty('messages');
    expect(detail).toHaveProperty('reviewers');
    expect(detail.owner).toMatchObject({ username: 'alice', email: 'alice@example.com' });
  });

  it('happy flow: files list the commit message first, then the change files with Gerrit FileInfo', async () => {
    const files = (await gerrit.get('/a/changes/9/revisions/current/files/', 'bob')).json() as Json;
    expect(Object.keys(files)).toEqual(['/COMMIT_MSG', 'scripts/build.sh', 'scripts/old-build.sh']);
    expect(files['/COMMIT_MSG']).toMatchObject({ status: 'A' });
    expect(files['scripts/old-build.sh']).toMatchObject({ status: 'D', lines_deleted: 4, size: 0 });
    expect(files['scripts/build.sh']).toMatchObject({ lines_inserted: 1, lines_deleted: 1 });
  });

  it('happy flow: a diff is DiffInfo whose blocks rebuild both sides of the file', async () => {
    const diff = (
      await gerrit.get('/a/changes/2/revisions/1/files/README.md/diff', 'bob')
    ).json() as {
      change_type: string;
      diff_header: string[];
      content: { a?: string[]; b?: string[]; ab?: string[] }[];
    };
    expect(diff.change_type).toBe('MODIFIED');
    expect(diff.diff_header[0]).toBe('diff --git a/README.md b/README.md');
    expect(diff.diff_header.slice(-2)).toEqual(['--- a/README.md', '+++ b/README.md']);
    expect(diff.content.find((block) => block.a)).toEqual({
      a: ['A smal service used to try crossgate offline.'],
      b: ['A small service used to try crossgate offline.'],
    });
    const after = diff.content.flatMap((block) => block.ab ?? block.b ?? []).join('\n');
    const content = await gerrit.get(
      '/a/changes/2/revisions/current/files/README.md/content',
      'bob',
    );
    expect(content.headers.get('x-fyi-content-encoding')).toBe('base64');
    expect(Buffer.from(content.text, 'base64').toString('utf8')).toBe(`${after}\n`);
  });

  it('happy flow: an encoded path reaches its file; an unknown file is 404', async () => {
    const diff = await gerrit.get(
      '/a/changes/1/revisions/current/files/src%2Fgreeting.ts/diff',
      'bob',
    );
    expect(diff.json()).toMatchObject({
      change_type: 'ADDED',
      content: [{ b: expect.any(Array) }],
    });
    const missing = await gerrit.get('/a/changes/1/revisions/current/files/nope.txt/diff', 'bob');
    expect(missing.status).toBe(404);
  });

  it('happy flow: Get Commit names the commit and its parent', async () => {
    const commit = (
      await gerrit.get('/a/changes/1/revisions/current/commit', 'bob')
    ).json() as Json;
    expect(commit.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(commit.parents).toEqual([
      { commit: expect.stringMatching(/^[0-9a-f]{40}$/), subject: expect.any(String) },
    ]);
    expect(commit.author).toMatchObject({ name: 'Bob Example', email: 'bob@example.com', tz: 0 });
  });
});

describe('Set Review and Submit', () => {
  it('happy flow: reviewers and CCs in a review are added and answered per input', async () => {
    const answer = await gerrit.post('/a/changes/9/revisions/current/review', 'bob', {
      message: 'adding people',
      reviewers: [{ reviewer: 'alice' }, { reviewer: 'ci-bot@example.com', state: 'CC' }],
    });
    expect(answer.status).toBe(200);
    const result = answer.json() as { reviewers: Record<string, Json> };
    expect(result.reviewers.alice).toMatchObject({
      input: 'alice',
      reviewers: [{ username: 'alice', approvals: {} }],
    });
    expect(result.reviewers['ci-bot@example.com']).toMatchObject({ ccs: [{ username: 'ci-bot' }] });
    const detail = (await gerrit.get('/a/changes/9/detail', 'bob')).json() as {
      reviewers: Record<string, Json[]>;
    };
    expect(detail.reviewers.REVIEWER?.map((account) => account.username)).toEqual(['alice']);
    expect(detail.reviewers.CC?.map((account) => account.username)).toEqual(['ci-bot']);
    const byReviewer = (await gerrit.get('/a/changes/?q=reviewer:alice', 'bob')).json() as Json[];
    expect(byReviewer.map((change) => change._number)).toContain(9);
  });

  it('error flow: an unknown reviewer is 400 with the documented ReviewResult, and nothing is applied', async () => {
    const answer = await gerrit.post('/a/changes/9/revisions/current/review', 'bob', {
      labels: { 'Code-Review': 1 },
      reviewers: [{ reviewer: 'nobody@example.com' }],
    });
    expect(answer.status).toBe(400);
    const result = answer.json() as { reviewers: Record<string, Json> };
    expectDocumentedKeys(result, gerritFixtureJson('set-review-error-400.json'));
    expect(result.reviewers['nobody@example.com']).toEqual({
      input: 'nobody@example.com',
      error: 'nobody@example.com does not identify a registered user or group',
    });
    const change = standIn.data.changes.find((candidate) => candidate.number === 9);
    expect(change?.approvals).toEqual([]);
  });

  it('error flow: an inline comment on a file the change does not have is 400', async () => {
    const answer = await gerrit.post('/a/changes/9/revisions/current/review', 'bob', {
      comments: { 'src/not-in-change.ts': [{ line: 1, message: 'here?' }] },
    });
    expect(answer).toMatchObject({
      status: 400,
      text: 'file src/not-in-change.ts not found in revision 9,1\n',
    });
  });

  it('happy flow: inline comments on the change files and the commit message are kept', async () => {
    const answer = await gerrit.post('/a/changes/9/revisions/current/review', 'bob', {
      comments: {
        'scripts/build.sh': [{ line: 3, message: 'why offline?' }],
        '/COMMIT_MSG': [{ line: 1, message: 'subject too vague' }],
      },
    });
    expect(answer.status).toBe(200);
    const change = standIn.data.changes.find((candidate) => candidate.number === 9);
    expect(change?.comments.map((comment) => comment.path)).toEqual([
      'scripts/build.sh',
      '/COMMIT_MSG',
    ]);
  });

  it('error flow: a comment with a negative line or an inverted range is 400', async () => {
    const negative = await gerrit.post('/a/changes/9/revisions/current/review', 'bob', {
      comments: { 'scripts/build.sh': [{ line: -1, message: 'x' }] },
    });
    expect(negative.status).toBe(400);
    const inverted = await gerrit.post('/a/changes/9/revisions/current/review', 'bob', {
      comments: {
        'scripts/build.sh': [
          {
            range: { start_line: 5, start_character: 0, end_line: 2, end_character: 0 },
            message: 'x',
          },
        ],
      },
    });
    expect(inverted.status).toBe(400);
  });

  it('happy flow: labels follow the group permissions; submit revision answers SubmitInfo', async () => {
    const stale = await gerrit.post('/a/changes/1/revisions/1/submit', 'alice', {});
    expect(stale.status).toBe(409);
    expect(stale.text).toMatch(/^revision [0-9a-f]{40} is not current revision\n$/);
    expect(
      (
        await gerrit.post('/a/changes/5/revisions/current/review', 'bob', {
          labels: { 'Code-Review': 2 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await gerrit.post('/a/changes/5/revisions/current/review', 'alice', {
          labels: { 'Code-Review': 2 },
        })
      ).status,
    ).toBe(200);
    const submitted = await gerrit.post('/a/changes/5/revisions/current/submit', 'alice', {});
    expect(submitted.status).toBe(200);
    expect(submitted.json()).toEqual({ status: 'MERGED' });
    const again = await gerrit.post('/a/changes/5/revisions/current/submit', 'alice', {});
    expect(again).toMatchObject({ status: 409, text: 'change is merged\n' });
  });
});

describe('Accounts, projects, groups, server version', () => {
  it('happy flow: account query answers _account_id, details with o=DETAILS, and pages with n', async () => {
    expect((await gerrit.get('/a/accounts/?q=username:bob', 'alice')).json()).toEqual([
      { _account_id: 1000002 },
    ]);
    const detailed = (
      await gerrit.get('/a/accounts/?q=name:example&o=DETAILS', 'alice')
    ).json() as Json[];
    expect(detailed.map((account) => account.username)).toEqual(['alice', 'bob']);
    const paged = (await gerrit.get('/a/accounts/?q=is:active&n=2', 'alice')).json() as Json[];
    expect(paged).toHaveLength(2);
    expect(paged.at(-1)?._more_accounts).toBe(true);
    const missing = await gerrit.get('/a/accounts/', 'alice');
    expect(missing).toMatchObject({ status: 400, text: 'missing query field\n' });
  });

  it('happy flow: list projects follows the documented map, with d, p, m, r, n, S, b, state and type', async () => {
    const names = async (query: string) =>
      Object.keys((await gerrit.get(`/a/projects/${query}`, 'bob')).json() as Json);
    const described = (await gerrit.get('/a/projects/?d', 'bob')).json() as Record<string, Json>;
    const documented = gerritFixtureJson('list-projects.json') as Record<string, Json>;
    expectDocumentedKeys(described.demo, documented['external/bison']);
    expect(described['team/tools']).toEqual({
      id: 'team%2Ftools',
      description: 'Shared build and lint tooling',
    });
    expect(described['archive/legacy-portal']).toMatchObject({ state: 'READ_ONLY' });
    expect(Object.keys(described)).not.toContain('attic/prototype');
    expect((await gerrit.get('/a/projects/', 'bob')).json()).toHaveProperty(['demo', 'id'], 'demo');
    expect((await gerrit.get('/a/projects/', 'bob')).json()).not.toHaveProperty([
      'demo',
      'description',
    ]);
    expect(await names('?p=team/')).toEqual(['team/tools']);
    expect(await names('?m=LEGACY')).toEqual(['archive/legacy-portal']);
    expect(await names('?r=.*-infra')).toEqual(['secret-infra']);
    expect(await names('?state=HIDDEN')).toEqual(['attic/prototype']);
    expect(await names('?state=READ_ONLY')).toEqual(['archive/legacy-portal']);
    expect(await names('?type=PERMISSIONS')).toEqual(['All-Projects']);
    expect(await names('?type=CODE')).not.toContain('All-Projects');
    const all = await names('');
    expect(await names('?n=2')).toEqual(all.slice(0, 2));
    expect(await names('?n=2&S=2')).toEqual(all.slice(2, 4));
    const branches = (await gerrit.get('/a/projects/?b=stable-1.0', 'bob')).json() as Record<
      string,
      Json
    >;
    expect(Object.keys(branches)).toEqual(['team/tools']);
    expect(branches['team/tools']?.branches).toEqual({
      'stable-1.0': expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect((await gerrit.get('/a/projects/?p=a&m=b', 'bob')).status).toBe(400);
    expect((await gerrit.get('/a/projects/?state=GONE', 'bob')).status).toBe(400);
  });

  it('happy flow: group members by name, UUID or id; unknown groups are 404', async () => {
    const byName = (
      await gerrit.get('/a/groups/Release%20Managers/members/', 'bob')
    ).json() as Json[];
    expect(byName).toEqual([
      {
        _account_id: 1000001,
        name: 'Alice Example',
        email: 'alice@example.com',
        username: 'alice',
      },
    ]);
    const group = standIn.data.groups.find((candidate) => candidate.name === 'Release Managers');
    expect((await gerrit.get(`/a/groups/${group?.uuid}/members/`, 'bob')).json()).toEqual(byName);
    expect((await gerrit.get(`/a/groups/${group?.groupId}/members`, 'bob')).json()).toEqual(byName);
    expect((await gerrit.get('/a/groups/No%20Such%20Group/members/', 'bob')).status).toBe(404);
  });

  it('happy flow: the server version is a JSON string, VersionInfo with verbose', async () => {
    const version = await gerrit.get('/a/config/server/version', 'bob');
    expect(version.text).toMatch(/^\)\]\}'\n"3\.\d+\.\d+"\n$/);
    expect((await gerrit.get('/a/config/server/version?verbose', 'bob')).json()).toMatchObject({
      gerrit_version: expect.stringMatching(/^3\./),
    });
  });

  it('error flow: an endpoint Gerrit does not have is 404 in plain text', async () => {
    const answer = await gerrit.get('/a/changes/1/revisions/current/nonsense', 'bob');
    expect(answer).toMatchObject({ status: 404, text: 'Not Found\n' });
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect((await gerrit.get('/a/plugins/', 'bob')).status).toBe(404);
  });
});

describe('Basic auth and X-Gerrit-RunAs', () => {
  it('error flow: wrong or missing Basic credentials are 401 with the challenge', async () => {
    const missing = await fetch(`${standIn.url}/a/config/server/version`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Basic realm="Gerrit Code Review"');
    const wrong = await fetch(`${standIn.url}/a/config/server/version`, {
      headers: { authorization: `Basic ${Buffer.from('crossgate-svc:wrong').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
  });

  it('happy flow: RunAs acts as the caller; the real user is recorded', async () => {
    const self = (await gerrit.get('/a/accounts/self', 'ops-agent')).json() as Json;
    expect(self).toMatchObject({ username: 'ops-agent', name: 'Ops Agent' });
    const asService = (await gerrit.get('/a/accounts/self')).json() as Json;
    expect(asService).toMatchObject({ username: 'crossgate-svc' });
  });

  it('error flow: RunAs for an unknown account, by a user without the capability, or disabled is 403', async () => {
    expect(await gerrit.get('/a/accounts/self', 'mallory')).toMatchObject({
      status: 403,
      text: 'no account matches X-Gerrit-RunAs\n',
    });
    const alice = standIn.data.accounts.find((account) => account.username === 'alice');
    const asAlice = await fetch(`${standIn.url}/a/accounts/self`, {
      headers: {
        authorization: `Basic ${Buffer.from(`alice:${alice?.password}`).toString('base64')}`,
        'x-gerrit-runas': 'bob',
      },
    });
    expect(asAlice.status).toBe(403);
    expect(await asAlice.text()).toBe('not permitted to use X-Gerrit-RunAs\n');
    standIn.data.settings.enableRunAs = false;
    try {
      expect(await gerrit.get('/a/accounts/self', 'bob')).toMatchObject({
        status: 403,
        text: 'X-Gerrit-RunAs disabled by auth.enableRunAs = false\n',
      });
    } finally {
      standIn.data.settings.enableRunAs = true;
    }
  });
});
