import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGerritStandIn, type GerritStandIn } from '../../../local/gerrit/server';
import { standInInspector } from '../../helpers/gerrit-stand-in';

/**
 * A real Gerrit client against the stand-in: Debian's pygerrit2 (python3-pygerrit2) in a
 * Python session written the way its users write them (pygerrit2-session.py).
 */

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./pygerrit2-session.py', import.meta.url));

let standIn: GerritStandIn;
let out: Record<string, unknown>;

type Json = Record<string, unknown>;

beforeAll(async () => {
  standIn = await startGerritStandIn();
  const { stdout } = await run(PYTHON, [SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin',
      GERRIT_URL: standIn.url,
      GERRIT_USER: standIn.serviceAccount.username,
      GERRIT_PASSWORD: standIn.serviceAccount.password,
    },
    timeout: 60_000,
  });
  out = JSON.parse(stdout) as Record<string, unknown>;
});

afterAll(async () => {
  await standIn?.close();
});

describe('pygerrit2 against the Gerrit stand-in', () => {
  it('happy flow: reads version, self, a list of lists with options, detail, files, diff and content', () => {
    expect(out.version).toMatch(/^3\.\d+\.\d+$/);
    expect(out.self).toMatchObject({ username: 'bob' });
    const lists = out.lists as Json[][];
    expect(lists).toHaveLength(2);
    expect(lists[0]).toHaveLength(3);
    expect(lists[0]?.at(-1)?._more_changes).toBe(true);
    expect(lists[1]?.map((change) => change._number)).toEqual([7]);
    const first = lists[0]?.[0] as Json;
    expect(first).not.toHaveProperty('insertions');
    const revisions = first.revisions as Record<string, Json>;
    expect(revisions[String(first.current_revision)]).toHaveProperty(['commit', 'message']);
    expect(out.detail).toHaveProperty(['labels', 'Code-Review', 'all']);
    expect(Object.keys(out.files as Json)).toEqual([
      '/COMMIT_MSG',
      'src/greeting.ts',
      'src/routes.ts',
    ]);
    expect(out.diff).toMatchObject({ change_type: 'MODIFIED' });
    // pygerrit2 hands base64 content back as text (Gerrit serves it as text/plain).
    expect(Buffer.from(String(out.content), 'base64').toString('utf8')).toContain(
      "'/greeting': greeting,",
    );
  });

  it('happy flow: bob reviews +1 with a comment and a reviewer, ci-bot Verified+1, alice +2 and submits', async () => {
    expect(out.bob_review).toMatchObject({
      labels: { 'Code-Review': 1 },
      reviewers: { alice: { input: 'alice' } },
    });
    expect(out.ci_review).toEqual({ labels: { Verified: 1 } });
    expect(out.alice_review).toEqual({ labels: { 'Code-Review': 2 } });
    expect(out.bob_submit).toEqual({ status: 403, text: 'submit not permitted\n' });
    expect(out.alice_submit).toMatchObject({ _number: 1, status: 'MERGED' });
    const change = await standInInspector(standIn.url).change(1);
    expect(change.approvals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          label: 'Code-Review',
          value: 1,
          account: 'bob',
          realAccount: 'crossgate-svc',
        }),
        expect.objectContaining({ label: 'Verified', value: 1, account: 'ci-bot' }),
        expect.objectContaining({ label: 'Code-Review', value: 2, account: 'alice' }),
      ]),
    );
    expect(change.comments).toEqual([
      expect.objectContaining({ path: 'src/routes.ts', line: 2, author: 'bob' }),
    ]);
    expect(change).toMatchObject({ submitter: 'alice', realSubmitter: 'crossgate-svc' });
  });

  it('error flow: a comment on a file the change lacks is 400, as Gerrit refuses it', () => {
    expect(out.bad_comment).toEqual({
      status: 400,
      text: 'file no/such/file.ts not found in revision 1,2\n',
    });
  });

  it('happy flow: projects with descriptions, group members and accounts are listed', () => {
    expect(out.projects).toHaveProperty(['demo', 'description']);
    expect(out.projects).not.toHaveProperty(['attic/prototype']);
    expect((out.members as Json[]).map((member) => member.username)).toEqual(['alice']);
    expect((out.accounts as Json[]).map((account) => account.username)).toEqual(['alice', 'bob']);
  });

  it('error flow: unknown change 404, unknown RunAs 403, wrong password 401, as plain text', () => {
    expect(out.missing).toEqual({ status: 404, text: 'Not found: demo~4040\n' });
    expect(out.unknown_runas).toEqual({ status: 403, text: 'no account matches X-Gerrit-RunAs\n' });
    expect(out.wrong_password).toMatchObject({ status: 401 });
  });
});
