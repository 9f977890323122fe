import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenVerifier } from '../../../shared/auth/token-verifier';
import { createSpannerHandler, type SpannerFunctionConfig } from '../../../shared/spanner/handler';
import { SPANNER_ROUTE } from '../../../shared/spanner/module';
import { createSpanner, type SpannerHandle } from '../../../shared/spanner/spanner-client';
import { readSqlFile } from '../../../local/spanner/provision';
import { capturedLogger } from '../../helpers/captured-logger';
import { withSection } from '../../helpers/config';
import { httpApiEvent, lambdaContext } from '../../helpers/lambda-event';
import { createTestDatabase, testSpannerConfig } from '../../helpers/spanner';
import { stackConfig, token } from '../../helpers/stack';

/**
 * Column masks through the spanner handler, in process, against the emulator: the offline
 * schema and seed (Singers with Email) in a fresh database, real tokens for alice (admins),
 * bob (developers) and ops-agent (an agent with spanner:read).
 */

const MASK_KEY = 'k'.repeat(40);
const adminsOnly = { group: 'admins' };
const readers = {
  anyOf: [{ group: 'developers' }, { group: 'admins' }, { scope: 'spanner:read' }],
};
const statements = {
  getSinger: {
    sql: 'SELECT SingerId, FirstName, Email FROM Singers WHERE SingerId = @id',
    params: { id: 'INT64' },
    mode: 'read',
    policy: readers,
    mask: { Email: { unless: adminsOnly, as: 'partial' } },
  },
  listHashed: {
    sql: 'SELECT SingerId, Email FROM Singers ORDER BY SingerId',
    mode: 'read',
    policy: readers,
    mask: { email: { unless: adminsOnly, as: 'hash' } },
  },
  listRedacted: {
    sql: 'SELECT SingerId, Email FROM Singers ORDER BY SingerId',
    mode: 'read',
    policy: readers,
    mask: { Email: { unless: adminsOnly, as: 'redact' } },
  },
  aliased: {
    sql: 'SELECT SingerId, Email AS Contact FROM Singers ORDER BY SingerId',
    mode: 'read',
    policy: readers,
    mask: { Email: { unless: adminsOnly, as: 'redact' } },
  },
};

let handle: SpannerHandle;
let config: SpannerFunctionConfig;
let verifier: TokenVerifier;
let maskKeyReads = 0;

beforeAll(async () => {
  const databaseId = await createTestDatabase(
    readSqlFile(new URL('../../../local/spanner/schema.sql', import.meta.url)),
    { seed: readSqlFile(new URL('../../../local/spanner/seed.sql', import.meta.url)) },
  );
  const spanner = testSpannerConfig(databaseId, statements, {
    maskKeySecretId: 'crossgate/test-mask-key',
  });
  handle = createSpanner({ config: spanner });
  config = withSection({ ...stackConfig(), spanner }, 'spanner');
  verifier = TokenVerifier.create(config);
});

afterAll(async () => {
  await handle?.database.close();
});

async function run(statement: string, who: string, params: Record<string, unknown> = {}) {
  const capture = capturedLogger();
  const handler = createSpannerHandler({
    dependencies: { config, verifier, logger: capture.logger },
    database: async () => handle.database,
    maskKey: async () => {
      maskKeyReads += 1;
      return MASK_KEY;
    },
  });
  const response = await handler(
    httpApiEvent(SPANNER_ROUTE, {
      path: `/spanner/${statement}`,
      pathParameters: { query: statement },
      headers: {
        authorization: `Bearer ${await token(who)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ params }),
    }),
    lambdaContext(),
  );
  const audit = capture.lines().find((line) => line.message === 'audit')?.audit as {
    spanner?: { maskedColumns?: string[] };
  };
  return { status: response.statusCode, body: JSON.parse(response.body ?? '{}'), audit, capture };
}

describe('Spanner column masks against the emulator', () => {
  it('happy flow: getSinger shows alice (admins) the email and bob and ops-agent ***@domain', async () => {
    const alice = await run('getSinger', 'alice', { id: 1 });
    expect(alice.body.rows).toEqual([['1', 'Marc', 'marc.richards@example.com']]);
    expect(alice.audit.spanner?.maskedColumns).toBeUndefined();
    for (const who of ['bob', 'ops-agent']) {
      const masked = await run('getSinger', who, { id: 1 });
      expect(masked.status).toBe(200);
      expect(masked.body.rows).toEqual([['1', 'Marc', '***@example.com']]);
      expect(masked.audit.spanner?.maskedColumns).toEqual(['Email']);
      expect(masked.capture.raw()).not.toContain('marc.richards');
    }
  });

  it('happy flow: hash is keyed, stable and distinct per value; null stays null; the key is read only for masked callers', async () => {
    const before = maskKeyReads;
    const alice = await run('listHashed', 'alice');
    expect(maskKeyReads).toBe(before);
    expect(alice.body.rows[0]).toEqual(['1', 'marc.richards@example.com']);

    const first = await run('listHashed', 'bob');
    const second = await run('listHashed', 'ops-agent');
    expect(maskKeyReads).toBe(before + 2);
    const hashes = (first.body.rows as string[][]).map((row) => row[1]);
    expect(second.body.rows).toEqual(first.body.rows);
    expect(hashes.slice(0, 4).every((hash) => /^hmac:[0-9a-f]{32}$/.test(hash ?? ''))).toBe(true);
    expect(new Set(hashes.slice(0, 4)).size).toBe(4);
    expect(hashes[4]).toBeNull();
  });

  it('happy flow: redact hides even whether there is a value, in every row', async () => {
    const bob = await run('listRedacted', 'bob');
    const emails = (bob.body.rows as unknown[][]).map((row) => row[1]);
    expect(emails).toHaveLength(5);
    expect(emails.every((email) => email === '[MASKED]')).toBe(true);
  });

  it('error flow: a mask whose column an alias renamed fails closed, with no value in the problem', async () => {
    const bob = await run('aliased', 'bob');
    expect(bob.status).toBe(500);
    expect(JSON.stringify(bob.body)).not.toContain('example.com');
    expect(bob.capture.raw()).not.toContain('example.com');
  });
});
