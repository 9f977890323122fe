import { isBuiltin } from 'node:module';

const NAMESPACE = 'crossgate-required-builtin';

/**
 * Bundles load Node's built-in modules with `require` (the banner's createRequire), never
 * with an ESM `import`. Importing a builtin as ESM makes Node build the module's ESM facade,
 * which reads every export, lazy getters included: node:http's WebSocket, CloseEvent and
 * MessageEvent getters load Node's bundled undici, node:fs's ReadStream its streams, and so
 * on. Measured on Node 22: `import 'node:http'` 45 ms, `require('node:http')` 7 ms; the run
 * bundle's import 160 → 125 ms (issue 16, cold start).
 *
 * An `import` of a builtin, ours or a dependency's ESM build, resolves to a one-line CommonJS
 * module that requires it; esbuild then reads each named import off that module where it is
 * used, so no getter runs before the code that needs it.
 */
export function requireBuiltinsPlugin() {
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
        if (args.kind !== 'import-statement' || !isBuiltin(args.path)) return undefined;
        const path = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
        return { path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}
