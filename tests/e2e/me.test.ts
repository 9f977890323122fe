import { describe, expect, it } from 'vitest';
import { callGateway, token } from '../helpers/stack';

describe('GET /me through serverless offline', () => {
  it('happy flow: a Cognito person sees its principal, groups and allowed targets', async () => {
    const response = await callGateway('/me', { bearer: await token('bob') });
    expect(response.status).toBe(200);
    const body = response.body as {
      principal: Record<string, unknown>;
      groups: string[];
      allowed: { route: string; target?: string }[];
    };
    expect(body.principal).toMatchObject({
      username: 'bob',
      kind: 'person',
      issuerName: 'cognito',
    });
    expect(body.groups).toEqual(['developers']);
    expect(body.allowed).toContainEqual(
      expect.objectContaining({ route: 'ANY /run/{service}/{proxy+}', target: 'echo' }),
    );
    expect(body.allowed).not.toContainEqual(expect.objectContaining({ target: 'addSinger' }));
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('happy flow: a machine client from the OIDC provider is a machine with its scopes', async () => {
    const response = await callGateway('/me', { bearer: await token('ci-bot') });
    expect(response.status).toBe(200);
    const body = response.body as { principal: Record<string, unknown>; scopes: string[] };
    expect(body.principal).toMatchObject({
      subject: 'ci-bot',
      clientId: 'ci-bot',
      kind: 'machine',
      issuerName: 'machines',
    });
    expect(body.scopes.sort()).toEqual(['gerrit:read', 'gerrit:review', 'run:echo']);
  });

  it('happy flow: an ES256 machine token is accepted', async () => {
    const response = await callGateway('/me', { bearer: await token('ops-agent') });
    expect(response.status).toBe(200);
    expect((response.body as { principal: { subject: string } }).principal.subject).toBe(
      'ops-agent',
    );
  });

  it('error flow: no token is 401 at the edge, before the function', async () => {
    const response = await callGateway('/me', { headers: { 'x-correlation-id': 'req-42' } });
    expect(response.status).toBe(401);
    // API Gateway's own answer (the identity source is missing): no function ran.
    expect(response.headers.get('content-type')).not.toBe('application/problem+json');
    expect(response.headers.get('x-correlation-id')).toBeNull();
  });
});
