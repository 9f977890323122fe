import { readStackState } from './stack';
import { tokenFor, type TokenKind } from './tokens';

/** `npm run --silent token -- <name> [--id]`: prints only a bearer token, for curl. */
const args = process.argv.slice(2);
const name = args.find((arg) => !arg.startsWith('--'));
if (!name) {
  console.error('usage: npm run --silent token -- <alice|bob|ci-bot|ops-agent> [--id]');
  process.exit(2);
}
const kind: TokenKind = args.includes('--id') ? 'id' : 'access';
try {
  process.stdout.write(`${await tokenFor(readStackState(), name, kind)}\n`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
