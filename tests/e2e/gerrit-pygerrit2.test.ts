import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { standInInspector, type StandInChange } from '../helpers/gerrit-stand-in';
import { gatewayUrl, testStack, token } from '../helpers/stack';

/**
 * A real Gerrit client through serverless offline: Debian's pygerrit2 (python3-pygerrit2), base
 * URL `<gateway>/gerrit`, the caller's token as its credential (a requests auth class for
 * Bearer, HTTPBasicAuth with the token as password), in a session written the way its users
 * write them (gerrit-pygerrit2-session.py).
 */

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./gerrit-pygerrit2-session.py', import.meta.url));

type Json = Record<string, unknown>;
let out: Json;
let change1: StandInChange;
let change5: StandInChange;

beforeAll(async () => {
  const gerrit = testStack().gerrit as { url: string } | undefined;
  if (!gerrit) throw new Error('the Gerrit stand-in is not running');
  const inspector = standInInspector(gerrit.url);
  const { stdout } = await run(PYTHON, [SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin',
      GATEWAY_GERRIT_URL: gatewayUrl('/gerrit'),
      BOB_TOKEN: await token('bob'),
      ALICE_TOKEN: await token('alice'),
      CI_TOKEN: await token('ci-bot'),
    },
    timeout: 120_000,
  });
  out = JSON.parse(stdout) as Json;
  change1 = await inspector.change(1);
  change5 = await inspector.change(5);
}, 150_000);

describe('pygerrit2 through crossgate (serverless offline)', () => {
  it('happy flow: version, self, a list of lists with options, detail, files and diff', () => {
    expect(out.version).toMatch(/^3\.\d+\.\d+$/);
    expect(out.self).toMatchObject({ username: 'bob' });
    const lists = out.lists as Json[][];
    expect(lists).toHaveLength(2);
    expect(lists[0]).toHaveLength(3);
    expect(lists[0]?.at(-1)?._more_changes).toBe(true);
    expect(lists[1]?.map((change) => change.project)).toEqual(['team/tools']);
    const first = lists[0]?.[0] as Json;
    expect(first).toHaveProperty('current_revision');
    expect(out.detail).toMatchObject({ _number: 4, project: 'demo' });
    expect(out.detail).toHaveProperty(['labels', 'Code-Review']);
    expect(Object.keys(out.files as Json)).toContain('src/routes.ts');
    expect(out.diff).toMatchObject({ change_type: 'MODIFIED' });
  });

  it('happy flow: bob reviews +1 with a comment and a reviewer, recorded as bob', () => {
    expect(out.bob_review).toMatchObject({ labels: { 'Code-Review': 1 } });
    expect(change1.approvals).toContainEqual(
      expect.objectContaining({ label: 'Code-Review', value: 1, account: 'bob' }),
    );
    expect(change1.comments).toContainEqual(
      expect.objectContaining({ author: 'bob', path: 'src/routes.ts', line: 2 }),
    );
  });

  it('error flow: bob voting +2 is 403 problem+json naming the missing permission', () => {
    expect(out.bob_plus_two).toMatchObject({
      status: 403,
      contentType: 'application/problem+json',
    });
    const problem = JSON.parse(String((out.bob_plus_two as Json).text)) as Json;
    expect(problem.detail).toMatch(/Code-Review\+2 requires/);
  });

  it('happy flow: ci-bot votes Verified+1, alice approves and submits, each recorded as themselves', () => {
    expect(out.ci_review).toMatchObject({ labels: { Verified: 1 } });
    expect(out.alice_review).toMatchObject({ labels: { 'Code-Review': 2 } });
    expect(change5.approvals).toContainEqual(
      expect.objectContaining({ label: 'Verified', value: 1, account: 'ci-bot' }),
    );
    expect(out.bob_submit).toMatchObject({ status: 403 });
    expect(out.alice_submit).toMatchObject({ _number: 5, status: 'MERGED' });
    expect(change5.submitter).toBe('alice');
  });

  it('happy flow: projects listed with descriptions, group members read', () => {
    const projects = out.projects as Record<string, Json>;
    expect(projects.demo).toMatchObject({ description: expect.any(String) });
    expect(projects['secret-infra']).toBeDefined();
    expect((out.members as Json[]).map((member) => member.username)).toContain('alice');
  });

  it("error flow: Gerrit's 404 reaches pygerrit2 as Gerrit's text; an unlisted endpoint is 404 problem+json", () => {
    expect(out.missing).toMatchObject({ status: 404 });
    expect(String((out.missing as Json).contentType)).toMatch(/^text\/plain/);
    expect(out.not_listed).toMatchObject({
      status: 404,
      contentType: 'application/problem+json',
    });
  });

  it('happy flow: Basic with the token as password works; with another user name it is 401', () => {
    expect(out.basic_self).toMatchObject({ username: 'bob' });
    expect(out.basic_wrong_user).toMatchObject({ status: 401 });
    expect(String((out.basic_wrong_user as Json).text)).not.toMatch(/eyJ/);
  });
});
