/**
 * Keeps out of the bundles a fallback that Node 22 never runs: fetch-blob (node-fetch's,
 * which gaxios loads) requires web-streams-polyfill only `if (!globalThis.ReadableStream)`,
 * and Node has had a global ReadableStream since 18. It was 60 KB of run's bundle, parsed at
 * every cold start (issue 16). Should the fallback ever be reached, the require throws, naming
 * what is missing, instead of running a polyfill nobody tested.
 */
const NEVER_RUN_ON_NODE_22 = /^web-streams-polyfill(\/|$)/;
const NAMESPACE = 'crossgate-absent-fallback';

export function absentFallbacksPlugin() {
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: NEVER_RUN_ON_NODE_22 }, (args) => ({
        path: args.path,
        namespace: NAMESPACE,
      }));
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `throw new Error(${JSON.stringify(
          `${args.path} is not bundled: it is a fallback for a Node without a global ReadableStream, and crossgate runs on Node 22`,
        )});`,
        loader: 'js',
      }));
    },
  };
}
