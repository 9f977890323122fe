import { startStack } from './stack';

/** `npm start`: the whole offline stack until Ctrl-C. */
const verbose = process.argv.includes('--verbose');
console.log('starting the crossgate offline stack (loopback only)...');
const stack = await startStack({ verbose }).catch((error: unknown) => {
  console.error(
    `\ncrossgate: could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});

console.log(`\n${stack.summary.join('\n')}\n`);
console.log(`Seeded people (Cognito): ${Object.keys(stack.state.cognito?.users ?? {}).join(', ')}`);
console.log(
  `Seeded machine clients (OIDC): ${Object.keys(stack.state.oidc?.clients ?? {}).join(', ')}`,
);
console.log(
  `Seeded Backstage users: ${Object.keys(stack.state.backstage?.users ?? {}).join(', ')}`,
);
console.log(`
Try it:
  curl localhost:${stack.state.ports.gateway}/health
  curl -H "Authorization: Bearer $(npm run --silent token -- bob)" localhost:${stack.state.ports.gateway}/me
  curl -H "Authorization: Bearer $(npm run --silent token -- ci-bot)" localhost:${stack.state.ports.gateway}/me
  curl -H "Authorization: Bearer $(npm run --silent token -- alice --backstage)" localhost:${stack.state.ports.gateway}/me
  curl -H "Authorization: Bearer $(npm run --silent token -- bob)" 'localhost:${stack.state.ports.gateway}/run/echo/hello?x=1'
  curl -X POST -H "Authorization: Bearer $(npm run --silent token -- bob)" -H 'content-type: application/json' -d '{"params":{"id":"1"}}' localhost:${stack.state.ports.gateway}/spanner/getSinger
  curl -H "Authorization: Bearer $(npm run --silent token -- bob)" 'localhost:${stack.state.ports.gateway}/gerrit/changes?q=status:open'
More in README.md and docs/.

Ctrl-C stops everything.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping...');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
process.on('SIGHUP', () => void shutdown());
// npm does not always pass its own termination on; an orphaned stack stops itself.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown();
}, 1000).unref();
