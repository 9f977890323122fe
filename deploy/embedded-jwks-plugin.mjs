// An esbuild plugin for packaging (serverless-esbuild, via esbuild-for-package.mjs): at bundle
// time, shared/auth/embedded-jwks.json becomes the JWKS of every trusted issuer, fetched now,
// so a cold container verifies its first token without a JWKS fetch (issue 15, "cold burst").
// The repository's copy stays empty; `npm start` and the tests never go through this.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../shared/auth/embedded-jwks-cli.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url));
const embeddedFile = /[\\/]shared[\\/]auth[\\/]embedded-jwks\.json$/;
const nothingEmbedded = JSON.stringify({ fetchedAt: null, issuers: {} });

/** The stage's resolved provider environment: what the functions' config will read. */
function stageEnvironment(serverless) {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(serverless.service.provider.environment ?? {})) {
    // CloudFormation references ({ Ref: ... }) have no value at package time.
    if (typeof value === 'string') env[name] = value;
  }
  return env;
}

function fetchDocument(serverless) {
  // Packaging the example stages (tests, CI) names issuers that do not exist: no request leaves
  // the machine for them.
  if (process.env.CROSSGATE_EMBED_JWKS === 'off') {
    process.stderr.write('embedded JWKS: off (CROSSGATE_EMBED_JWKS=off)\n');
    return nothingEmbedded;
  }
  const result = spawnSync(process.execPath, ['--import', tsx, cli], {
    env: stageEnvironment(serverless),
    encoding: 'utf8',
    timeout: 60_000,
  });
  for (const line of (result.stderr ?? '').split('\n').filter(Boolean))
    process.stderr.write(`${line}\n`);
  if (result.status !== 0) {
    // Embedding is an optimisation: an artifact without it fetches keys as before.
    process.stderr.write('embedded JWKS: nothing embedded (the fetch did not run to the end)\n');
    return nothingEmbedded;
  }
  return result.stdout;
}

/** One fetch per package run: every function's bundle embeds the same keys. */
const documents = new WeakMap();

export function embeddedJwksPlugin(serverless) {
  return {
    name: 'crossgate-embedded-jwks',
    setup(build) {
      build.onLoad({ filter: embeddedFile }, () => {
        if (!documents.has(serverless)) documents.set(serverless, fetchDocument(serverless));
        return { contents: documents.get(serverless), loader: 'json' };
      });
    },
  };
}
