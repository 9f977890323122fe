import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callGateway, token } from '../helpers/stack';

const post = async (statement: string, bearer: string, body: unknown = { params: {} }) =>
  callGateway(`/spanner/${statement}`, {
    method: 'POST',
    bearer,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /spanner/{query} through serverless offline', () => {
  it('happy flow: bob lists the seeded singers with typed columns', async () => {
    const response = await post('listSingers', await token('bob'));
    expect(response.status).toBe(200);
    const body = response.body as { columns: unknown[]; rows: unknown[][]; truncated: boolean };
    expect(body.columns).toEqual([
      { name: 'SingerId', type: 'INT64' },
      { name: 'FirstName', type: 'STRING' },
      { name: 'LastName', type: 'STRING' },
      { name: 'Email', type: 'STRING' },
    ]);
    // Email is hash-masked for bob, who is not in admins (tests/e2e/agents.test.ts).
    expect(body.rows.slice(0, 2)).toEqual([
      ['1', 'Marc', 'Richards', expect.stringMatching(/^hmac:[0-9a-f]{32}$/)],
      ['2', 'Catalina', 'Smith', expect.stringMatching(/^hmac:[0-9a-f]{32}$/)],
    ]);
    expect(body.truncated).toBe(false);
  });

  it('happy flow: bob gets one singer by id, given as a number or a digit string', async () => {
    const bob = await token('bob');
    for (const id of [3, '3']) {
      const response = await post('getSinger', bob, { params: { id } });
      expect(response.status).toBe(200);
      expect((response.body as { rows: unknown[] }).rows).toEqual([
        ['3', 'Alice', 'Trentor', '***@example.com'],
      ]);
    }
  });

  it('happy flow: alice adds a singer (id above 2^53 stays exact) and it can be read back', async () => {
    const alice = await token('alice');
    const id = `90071992547${randomInt(10_000_000, 99_999_999)}`;
    const added = await post(
      'addSinger',
      alice,
      `{"params": {"id": ${id}, "firstName": "Ada", "lastName": "Lovelace"}}`,
    );
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ rowCount: 1 });
    const read = await post('getSinger', alice, { params: { id } });
    expect((read.body as { rows: unknown[] }).rows).toEqual([[id, 'Ada', 'Lovelace', null]]);

    const again = await post('addSinger', alice, {
      params: { id, firstName: 'Ada', lastName: 'Lovelace' },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
  });

  it('error flow: bob gets 403 on addSinger', async () => {
    const response = await post('addSinger', await token('bob'), {
      params: { id: 77, firstName: 'No', lastName: 'Way' },
    });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ status: 403, missingPermission: expect.any(String) });
  });

  it('error flow: ci-bot gets 403 on all three statements', async () => {
    const ciBot = await token('ci-bot');
    for (const [statement, params] of [
      ['listSingers', {}],
      ['getSinger', { id: 1 }],
      ['addSinger', { id: 78, firstName: 'a', lastName: 'b' }],
    ] as const) {
      const response = await post(statement, ciBot, { params });
      expect(response.status, statement).toBe(403);
    }
  });

  it('error flow: bad parameters are 400 problem+json naming each parameter', async () => {
    const response = await post('getSinger', await token('bob'), {
      params: { id: 'twelve', extra: 1 },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      status: 400,
      invalidParams: expect.arrayContaining([
        { name: 'params.extra', reason: expect.stringContaining('unknown parameter') },
        { name: 'params.id', reason: expect.stringContaining('INT64') },
      ]),
    });
    const missing = await post('getSinger', await token('bob'), { params: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      invalidParams: [{ name: 'params.id', reason: expect.stringContaining('missing') }],
    });
    const outOfRange = await post(
      'getSinger',
      await token('bob'),
      '{"params":{"id":9223372036854775808}}',
    );
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body).toMatchObject({
      invalidParams: [{ name: 'params.id', reason: expect.stringContaining('out of range') }],
    });
  });

  it('error flow: an unknown statement is 404', async () => {
    const response = await post('dropEverything', await token('alice'));
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      status: 404,
      detail: expect.stringContaining('dropEverything'),
    });
  });

  it('error flow: no token is 401', async () => {
    const response = await callGateway('/spanner/listSingers', { method: 'POST' });
    expect(response.status).toBe(401);
  });
});
