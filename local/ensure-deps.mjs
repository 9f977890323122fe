// Runs before `npm start` and `npm test` with whatever Node is on PATH (maybe not ours yet):
// plain JavaScript, no dependencies. Installs from package-lock.json when node_modules is
// missing or does not match it, so a fresh clone needs nothing but these two commands.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lockFile = `${root}package-lock.json`;
const installedFile = `${root}node_modules/.package-lock.json`;

function staleReason() {
  if (!existsSync(installedFile)) return 'node_modules is missing';
  const wanted = JSON.parse(readFileSync(lockFile, 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(installedFile, 'utf8')).packages ?? {};
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === '' || entry.optional) continue;
    if (installed[path]?.version !== entry.version) return `${path} is not at ${entry.version}`;
  }
  if (!existsSync(`${root}node_modules/.bin/node`)) return "the project's Node is missing";
  return undefined;
}

const reason = staleReason();
if (reason) {
  console.error(`crossgate: installing dependencies (${reason})...`);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
