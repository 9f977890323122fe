// serverless-esbuild, for packaging only. `npm start` and the tests run serverless offline on
// the TypeScript handlers directly (serverless-offline loads them with tsx); letting
// serverless-esbuild take over offline as well would bundle every function and `npm install`
// the externals (@google-cloud/spanner) at each start: 31 s to the first answer instead of 4 s
// (measured, docs/deploy.md). Packaging and `deploy` keep every serverless-esbuild hook.
const EsbuildServerlessPlugin = require('serverless-esbuild');

const offlineHooks = ['before:offline:start', 'before:offline:start:init'];

class EsbuildForPackage extends EsbuildServerlessPlugin {
  constructor(serverless, options, logging) {
    super(serverless, options, logging);
    for (const hook of offlineHooks) delete this.hooks[hook];
  }
}

module.exports = EsbuildForPackage;
