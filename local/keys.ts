import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  addNextKey,
  initKeySet,
  promoteNextKey,
  pruneRetiredKeys,
} from '../shared/assertion/key-rotation';
import { publicJwks } from '../shared/assertion/jwks';
import { parseAssertionKeySet } from '../shared/assertion/key-set';

const usage = `usage: npm run --silent keys -- <command> [options] [< current-secret.json]

  init                      a new key set with one current key
  add-next                  adds a next key (published at once, signs nothing yet)
  promote                   next becomes current, the old current is retired
      --min-published-seconds N   refuse if next was added less than N s ago (default 900)
  prune                     drops retired keys past their publish window
      --retired-publish-seconds N (default 3600)
  jwks                      prints the public JWKS the gateway would serve

add-next, promote, prune and jwks read the current secret JSON on stdin (or --in FILE).
The new secret JSON goes to stdout: store it with
  aws secretsmanager put-secret-value --secret-id ID --secret-string file://keys.json`;

/** Prints key material on stdout only: it is meant for a file or a pipe, never for a log. */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    in: { type: 'string' },
    'min-published-seconds': { type: 'string' },
    'retired-publish-seconds': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function input(): unknown {
  const text = readFileSync(values.in ?? 0, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('the input is not JSON (pipe in the SecretString of the key set secret)');
  }
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`not a number of seconds: ${value}`);
  return parsed;
}

async function run(command: string | undefined): Promise<unknown> {
  switch (command) {
    case 'init':
      return initKeySet();
    case 'add-next':
      return addNextKey(input());
    case 'promote': {
      const minPublishedSeconds = seconds(values['min-published-seconds']);
      return promoteNextKey(
        input(),
        minPublishedSeconds === undefined ? {} : { minPublishedSeconds },
      );
    }
    case 'prune': {
      const retiredPublishSeconds = seconds(values['retired-publish-seconds']);
      return pruneRetiredKeys(
        input(),
        retiredPublishSeconds === undefined ? {} : { retiredPublishSeconds },
      );
    }
    case 'jwks':
      return publicJwks(parseAssertionKeySet(input()));
    default:
      throw new Error(usage);
  }
}

if (values.help) {
  console.error(usage);
} else {
  try {
    process.stdout.write(`${JSON.stringify(await run(positionals[0]), null, 2)}\n`);
  } catch (error) {
    // Errors name keys and steps, never key material (see parseAssertionKeySet).
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
}
