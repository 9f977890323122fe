// serverless-esbuild, for packaging only. `npm start` and the tests run serverless offline on
// the TypeScript handlers directly (serverless-offline loads them with tsx); letting
// serverless-esbuild take over offline as well would bundle every function and `npm install`
// the externals (@google-cloud/spanner) at each start: about 31 s to the first answer instead
// of 5 s here (docs/deploy.md). Packaging and deploy keep every serverless-esbuild hook.
import EsbuildServerlessPlugin from 'serverless-esbuild';
import { absentFallbacksPlugin } from './absent-fallbacks-plugin.mjs';
import { compiledConfigPlugin } from './compiled-config-plugin.mjs';
import { embeddedJwksPlugin } from './embedded-jwks-plugin.mjs';
import { requireBuiltinsPlugin } from './require-builtins-plugin.mjs';

const offlineHooks = new Set(['before:offline:start', 'before:offline:start:init']);

export default class EsbuildForPackage extends EsbuildServerlessPlugin {
  constructor(serverless, options, logging) {
    super(serverless, options, logging);
    this.hooks = Object.fromEntries(
      Object.entries(this.hooks).filter(([hook]) => !offlineHooks.has(hook)),
    );
  }

  // The config compiled for the stage (deploy/compiled-config-plugin.mjs), and the issuers'
  // JWKS fetched now (deploy/embedded-jwks-plugin.mjs), both bundled; fallbacks Node 22 never
  // runs left out (deploy/absent-fallbacks-plugin.mjs); Node's builtins required, not
  // imported (deploy/require-builtins-plugin.mjs).
  get plugins() {
    return [
      ...super.plugins,
      absentFallbacksPlugin(),
      requireBuiltinsPlugin(),
      compiledConfigPlugin(this.serverless),
      embeddedJwksPlugin(this.serverless),
    ];
  }
}
