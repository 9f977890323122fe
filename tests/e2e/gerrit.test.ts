import { beforeAll, describe, expect, it } from 'vitest';
import { backstageTokenFor } from '../../local/tokens';
import { standInInspector } from '../helpers/gerrit-stand-in';
import { callGateway, testStack, token } from '../helpers/stack';

let inspector: ReturnType<typeof standInInspector>;

beforeAll(() => {
  const gerrit = testStack().gerrit as { url: string } | undefined;
  if (!gerrit) throw new Error('the Gerrit stand-in is not running');
  inspector = standInInspector(gerrit.url);
});

const postJson = async (path: string, bearer: string, body: unknown) =>
  callGateway(path, {
    method: 'POST',
    bearer,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe("Gerrit's REST API through serverless offline", () => {
  it("happy flow: ci-bot reads a change in a project whose name has a slash, in Gerrit's form", async () => {
    const response = await callGateway('/gerrit/a/changes/team%2Ftools~7?o=CURRENT_REVISION', {
      bearer: await token('ci-bot'),
    });
    expect(response.status).toBe(200);
    expect(response.text.startsWith(")]}'\n")).toBe(true);
    expect(JSON.parse(response.text.slice(5))).toMatchObject({ project: 'team/tools', _number: 7 });
  });

  it('error flow: bob cannot vote Code-Review+2 (label policy) and Gerrit is not called', async () => {
    await inspector.clearRequests();
    const response = await postJson(
      '/gerrit/a/changes/demo~9/revisions/current/review',
      await token('bob'),
      { labels: { 'Code-Review': 2 } },
    );
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({
      detail: expect.stringMatching(/Code-Review\+2 requires/),
    });
    const requests = await inspector.requests();
    expect(requests.filter((request) => request.runAs === 'bob')).toEqual([]);
  });

  it('error flow: %252e as a change id is 400, and no change list leaks past the cap', async () => {
    const response = await callGateway('/gerrit/a/changes/%252e', { bearer: await token('bob') });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('error flow: no credentials at all is 401 problem+json with a Bearer and Basic challenge', async () => {
    const response = await callGateway('/gerrit/a/accounts/self');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/Basic realm="crossgate"/);
  });

  it("happy flow: a Backstage backend forwarding its user's token gets that user's policy", async () => {
    const backstageBob = await backstageTokenFor(testStack(), 'bob');
    const backstageAlice = await backstageTokenFor(testStack(), 'alice');
    // bob's `ent` says developers: he reads as himself.
    const self = await callGateway('/gerrit/a/accounts/self', { bearer: backstageBob });
    expect(self.status).toBe(200);
    expect(JSON.parse(self.text.slice(5))).toMatchObject({ username: 'bob' });
    const bobSubmit = await postJson('/gerrit/a/changes/demo~10/submit', backstageBob, {});
    expect(bobSubmit.status).toBe(403);
    expect(bobSubmit.body).toMatchObject({ missingPermission: 'group:release-managers' });
    // alice's `ent` says release-managers only: submit passes the gateway and Gerrit's group
    // check and Gerrit itself decides; reading is not hers through Backstage.
    const aliceSubmit = await postJson('/gerrit/a/changes/demo~10/submit', backstageAlice, {});
    expect(aliceSubmit.status).toBe(409);
    expect(aliceSubmit.text).toMatch(/needs Code-Review/);
    const aliceRead = await callGateway('/gerrit/a/accounts/self', { bearer: backstageAlice });
    expect(aliceRead.status).toBe(403);
  });
});
