// An esbuild plugin for packaging (serverless-esbuild, via esbuild-for-package.mjs): at bundle
// time, shared/auth/embedded-jwks.json becomes the JWKS of every trusted issuer, fetched now,
// so a cold container verifies its first token without a JWKS fetch (issue 15, "cold burst").
// The repository's copy stays empty; `npm start` and the tests never go through this.
import { packageTimeJsonPlugin, runStageCli } from './package-time-file.mjs';

const nothingEmbedded = JSON.stringify({ fetchedAt: null, issuers: {} });

function fetchDocument(serverless) {
  // Packaging the example stages (tests, CI) names issuers that do not exist: no request leaves
  // the machine for them.
  if (process.env.CROSSGATE_EMBED_JWKS === 'off') {
    process.stderr.write('embedded JWKS: off (CROSSGATE_EMBED_JWKS=off)\n');
    return nothingEmbedded;
  }
  const result = runStageCli(serverless, '../shared/auth/embedded-jwks-cli.ts');
  for (const line of (result.stderr ?? '').split('\n').filter(Boolean))
    process.stderr.write(`${line}\n`);
  if (result.status !== 0) {
    // Embedding is an optimisation: an artifact without it fetches keys as before.
    process.stderr.write('embedded JWKS: nothing embedded (the fetch did not run to the end)\n');
    return nothingEmbedded;
  }
  return result.stdout;
}

export const embeddedJwksPlugin = packageTimeJsonPlugin({
  name: 'crossgate-embedded-jwks',
  filter: /[\\/]shared[\\/]auth[\\/]embedded-jwks\.json$/,
  produce: fetchDocument,
});
