import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startBackstageStandIn,
  type BackstageStandIn,
} from '../../../local/backstage/backstage-stand-in';

let backstage: BackstageStandIn;

beforeAll(async () => {
  backstage = await startBackstageStandIn();
});

afterAll(async () => {
  await backstage?.close();
});

describe('Backstage-format issuer stand-in', () => {
  it('happy flow: serves its ES256 keys where the auth backend does, cacheable', async () => {
    expect(backstage.jwksUri).toBe(`${backstage.url}/api/auth/.well-known/jwks.json`);
    const response = await fetch(backstage.jwksUri);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
    const discovery = (await (
      await fetch(`${backstage.url}/api/auth/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer: backstage.issuer, jwks_uri: backstage.jwksUri });
  });

  it('happy flow: a user token verifies against the JWKS with Backstage claims', async () => {
    const minted = await fetch(`${backstage.url}/__stand-in/users/alice/token`, { method: 'POST' });
    const { backstageIdentity } = (await minted.json()) as {
      backstageIdentity: { token: string; identity: Record<string, unknown> };
    };
    expect(backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: ['user:default/alice', 'group:default/release-managers'],
    });
    const header = decodeProtectedHeader(backstageIdentity.token);
    expect(header).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
    const { payload } = await jwtVerify(
      backstageIdentity.token,
      createRemoteJWKSet(new URL(backstage.jwksUri)),
      { issuer: `${backstage.url}/api/auth`, audience: 'backstage', algorithms: ['ES256'] },
    );
    expect(payload).toMatchObject({
      sub: 'user:default/alice',
      ent: ['user:default/alice', 'group:default/release-managers'],
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it('error flow: an unknown user gets no token, in Backstage error shape', async () => {
    const response = await fetch(`${backstage.url}/__stand-in/users/mallory/token`, {
      method: 'POST',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { name: 'NotFoundError', message: expect.stringContaining('mallory') },
      response: { statusCode: 404 },
    });
  });

  it('error flow: a token signed by another key fails verification against this JWKS', async () => {
    const other = await startBackstageStandIn();
    try {
      const { token } = await other.mint('bob');
      await expect(
        jwtVerify(token, createRemoteJWKSet(new URL(backstage.jwksUri)), {
          audience: 'backstage',
        }),
      ).rejects.toThrow();
    } finally {
      await other.close();
    }
  });
});
