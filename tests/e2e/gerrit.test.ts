import { beforeAll, describe, expect, it } from 'vitest';
import { standInInspector } from '../helpers/gerrit-stand-in';
import { callGateway, testStack, token } from '../helpers/stack';

let inspector: ReturnType<typeof standInInspector>;

beforeAll(() => {
  const gerrit = testStack().gerrit as { url: string } | undefined;
  if (!gerrit) throw new Error('the Gerrit stand-in is not running');
  inspector = standInInspector(gerrit.url);
});

const postJson = async (path: string, who: string, body: unknown) =>
  callGateway(path, {
    method: 'POST',
    bearer: await token(who),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('Gerrit routes through serverless offline', () => {
  it('happy flow: bob queries changes, paged, with more: true', async () => {
    const response = await callGateway('/gerrit/changes?q=project:demo&n=2', {
      bearer: await token('bob'),
    });
    expect(response.status).toBe(200);
    const body = response.body as { changes: { project: string }[]; more: boolean };
    expect(body.changes).toHaveLength(2);
    expect(body.changes.every((change) => change.project === 'demo')).toBe(true);
    expect(body.more).toBe(true);
  });

  it('happy flow: ci-bot reads a change in a project whose name has a slash', async () => {
    const response = await callGateway('/gerrit/changes/team%2Ftools~7', {
      bearer: await token('ci-bot'),
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ project: 'team/tools', _number: 7 });
  });

  it('happy flow: bob reviews with Code-Review+1 and Gerrit records bob', async () => {
    const response = await postJson('/gerrit/changes/demo~1/revisions/current/review', 'bob', {
      message: 'Looks fine to me',
      labels: { 'Code-Review': 1 },
      comments: { 'src/routes.ts': [{ line: 3, message: 'nit: spacing' }] },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ labels: { 'Code-Review': 1 } });
    const change = await inspector.change(1);
    expect(change.approvals).toContainEqual({
      label: 'Code-Review',
      value: 1,
      account: 'bob',
      realAccount: 'crossgate-svc',
    });
    expect(change.approvals.some((vote) => vote.account === 'crossgate-svc')).toBe(false);
    expect(change.comments).toContainEqual(expect.objectContaining({ author: 'bob', line: 3 }));
  });

  it('error flow: bob cannot vote Code-Review+2 (label policy) and Gerrit is not called', async () => {
    await inspector.clearRequests();
    const response = await postJson('/gerrit/changes/demo~4/revisions/current/review', 'bob', {
      labels: { 'Code-Review': 2 },
    });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({
      detail: expect.stringMatching(/Code-Review\+2 requires/),
    });
    const requests = await inspector.requests();
    expect(requests.filter((request) => request.runAs === 'bob')).toEqual([]);
  });

  it('error flow: on_behalf_of is refused with 400', async () => {
    const response = await postJson('/gerrit/changes/demo~4/revisions/current/review', 'bob', {
      labels: { 'Code-Review': 1 },
      on_behalf_of: 'alice',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ detail: expect.stringMatching(/on_behalf_of/) });
  });

  it('error flow: a vote outside the configured range is 400 naming the label', async () => {
    const response = await postJson('/gerrit/changes/demo~4/revisions/current/review', 'bob', {
      labels: { 'Code-Review': 3 },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      invalidParams: [{ name: 'body.labels.Code-Review', reason: 'must be between -2 and +2' }],
    });
  });

  it('error flow: bob cannot submit (403, not in the group)', async () => {
    const response = await postJson('/gerrit/changes/demo~4/submit', 'bob', {});
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ missingPermission: 'group:release-managers' });
    expect((await inspector.change(4)).status).toBe('NEW');
  });

  it('happy flow: alice gets 409 before Code-Review+2, then submits as alice', async () => {
    const early = await postJson('/gerrit/changes/demo~2/submit', 'alice', {});
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ status: 409, detail: 'needs Code-Review' });

    const approve = await postJson('/gerrit/changes/demo~2/revisions/current/review', 'alice', {
      labels: { 'Code-Review': 2 },
    });
    expect(approve.status).toBe(200);
    const submitted = await postJson('/gerrit/changes/demo~2/submit', 'alice', {});
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ _number: 2, status: 'MERGED' });
    const change = await inspector.change(2);
    expect(change).toMatchObject({ submitter: 'alice', realSubmitter: 'crossgate-svc' });
  });

  it('happy flow: ci-bot reviews with Verified+1 as ci-bot, but cannot submit', async () => {
    const review = await postJson('/gerrit/changes/3/revisions/current/review', 'ci-bot', {
      labels: { Verified: 1, 'Code-Review': 1 },
      tag: 'autogenerated:ci',
    });
    expect(review.status).toBe(200);
    const change = await inspector.change(3);
    expect(change.approvals).toEqual(
      expect.arrayContaining([
        { label: 'Verified', value: 1, account: 'ci-bot', realAccount: 'crossgate-svc' },
        { label: 'Code-Review', value: 1, account: 'ci-bot', realAccount: 'crossgate-svc' },
      ]),
    );
    const submit = await postJson('/gerrit/changes/3/submit', 'ci-bot', {});
    expect(submit.status).toBe(403);
    expect((await inspector.change(3)).status).toBe('NEW');
  });

  it('error flow: a change Gerrit does not have is 404 problem+json', async () => {
    const response = await callGateway('/gerrit/changes/demo~4040', { bearer: await token('bob') });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ status: 404, detail: 'Gerrit: Not found: demo~4040' });
  });
});
