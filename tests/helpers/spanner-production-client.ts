/**
 * Run as its own process by tests/integration/spanner/production-client.test.ts: builds the
 * Spanner client exactly as a Lambda in AWS does (no emulator, credentials from an AuthClient,
 * the client library's defaults otherwise), runs one read against the endpoint given, prints
 * `{"status", "retryAfter", "ms"}` on stdout, and waits a little so that anything the client
 * starts in the background (metrics, location detection) has time to show on the wire.
 *
 * Usage: node --import tsx spanner-production-client.ts '{"host":"127.0.0.1","port":1,"builtInMetrics":false}'
 */
import { OAuth2Client } from 'google-auth-library';
import { spannerSchema } from '../../shared/spanner/config-schema';
import { GatewayError } from '../../shared/errors';
import { bindParams } from '../../shared/spanner/param-values';
import { createSpanner } from '../../shared/spanner/spanner-client';
import { runRead } from '../../shared/spanner/statement-runner';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  host: string;
  port: number;
  builtInMetrics?: boolean;
  lingerMs?: number;
};
const config = spannerSchema.parse({
  projectId: 'crossgate-prod-like',
  instanceId: 'crossgate',
  databaseId: 'music',
  statements: {
    countSingers: {
      sql: 'SELECT COUNT(*) FROM Singers',
      mode: 'read',
      policy: { authenticated: true },
    },
  },
});
// A real google-auth-library client holding an access token, as the gateway's AuthClient
// would hold one minted from the credential secret.
const authClient = new OAuth2Client();
authClient.setCredentials({ access_token: 'ya29.test', expiry_date: Date.now() + 3_600_000 });

const { database } = createSpanner({
  config,
  authClient,
  endpoint: { host: args.host, port: args.port },
  builtInMetrics: args.builtInMetrics ?? false,
});
const statement = config.statements.countSingers!;
const started = performance.now();
let status = 200;
let retryAfter: string | undefined;
try {
  await runRead({
    database,
    name: 'countSingers',
    statement,
    bound: bindParams(statement.params, {}, config.dialect),
    tag: 'countSingers/production-client',
    deadlineMs: 5_000,
  });
} catch (error) {
  status = error instanceof GatewayError ? error.status : 0;
  retryAfter = error instanceof GatewayError ? error.headers['retry-after'] : undefined;
}
const ms = Math.round(performance.now() - started);
await new Promise((resolve) => setTimeout(resolve, args.lingerMs ?? 1_000));
process.stdout.write(JSON.stringify({ status, retryAfter, ms }), () => process.exit(0));
