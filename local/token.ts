import { readStackState } from './stack';
import { backstageTokenFor, tokenFor, type TokenKind } from './tokens';

/**
 * `npm run --silent token -- <name> [--id | --backstage]`: prints only a bearer token, for curl.
 * `--backstage` mints a Backstage user token (alice, bob) from the Backstage stand-in.
 */
const args = process.argv.slice(2);
const name = args.find((arg) => !arg.startsWith('--'));
if (!name) {
  console.error(
    'usage: npm run --silent token -- <alice|bob|ci-bot|ops-agent> [--id]\n       npm run --silent token -- <alice|bob> --backstage',
  );
  process.exit(2);
}
const kind: TokenKind = args.includes('--id') ? 'id' : 'access';
try {
  const state = readStackState();
  const token = args.includes('--backstage')
    ? await backstageTokenFor(state, name)
    : await tokenFor(state, name, kind);
  process.stdout.write(`${token}\n`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
