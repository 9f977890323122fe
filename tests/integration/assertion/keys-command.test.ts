import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseAssertionKeySet } from '../../../shared/assertion/key-set';

/** `npm run keys` as an operator runs it: tsx local/keys.ts, JSON on stdin and stdout. */
function keys(
  args: string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'node_modules/.bin/tsx',
      ['local/keys.ts', ...args],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
    child.stdin?.end(stdin);
  });
}

describe('npm run keys', () => {
  it('happy flow: init, add-next, promote and jwks print what the next step reads', async () => {
    const init = await keys(['init']);
    expect(init.code).toBe(0);
    const v1 = parseAssertionKeySet(JSON.parse(init.stdout));
    const added = await keys(['add-next'], init.stdout);
    expect(added.code).toBe(0);
    const v2 = parseAssertionKeySet(JSON.parse(added.stdout));
    expect(v2.current.kid).toBe(v1.current.kid);
    const promoted = await keys(['promote', '--min-published-seconds', '0'], added.stdout);
    expect(promoted.code).toBe(0);
    const v3 = parseAssertionKeySet(JSON.parse(promoted.stdout));
    expect(v3.current.kid).toBe(v2.next!.kid);
    expect(v3.retired.map((key) => key.kid)).toEqual([v1.current.kid]);
    const jwks = await keys(['jwks'], promoted.stdout);
    const published = JSON.parse(jwks.stdout) as { keys: Record<string, unknown>[] };
    expect(published.keys.map((key) => key.kid)).toEqual([v3.current.kid, v1.current.kid]);
    expect(published.keys.every((key) => !('d' in key))).toBe(true);
  }, 60_000);

  it('error flow: promoting a next key added just now is refused, naming the wait', async () => {
    const init = await keys(['init']);
    const added = await keys(['add-next'], init.stdout);
    const promoted = await keys(['promote'], added.stdout);
    expect(promoted.code).toBe(2);
    expect(promoted.stdout).toBe('');
    expect(promoted.stderr).toContain('wait 900 s');
  }, 60_000);

  it('error flow: a broken secret is refused by key name, without printing key material', async () => {
    const init = await keys(['init']);
    const document = JSON.parse(init.stdout) as { current: { jwk: Record<string, string> } };
    const d = document.current.jwk.d!;
    document.current.jwk.crv = 'P-384';
    const result = await keys(['add-next'], JSON.stringify(document));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('current.jwk.crv');
    expect(result.stderr).not.toContain(d);
  }, 60_000);
});
