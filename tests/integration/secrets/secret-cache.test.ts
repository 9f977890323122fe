import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { listenOn } from '../../../local/listen';
import { ConfigurationError, ServiceUnavailableError } from '../../../shared/errors';
import { SecretCache } from '../../../shared/secrets/secret-cache';
import { putSecretJson, secretsManagerClient } from '../../../local/seed/moto-clients';
import { countGetSecretValue, startMotoRecording } from '../../helpers/moto-recorder';
import { testStack } from '../../helpers/stack';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy';

let moto: { endpoint: string; region: string };
let proxy: TcpProxy;

beforeAll(async () => {
  const stack = testStack();
  if (!stack.moto) throw new Error('moto is not running');
  moto = stack.moto;
  await startMotoRecording(moto.endpoint);
  const target = new URL(moto.endpoint);
  proxy = await startTcpProxy(target.hostname, Number(target.port));
});

afterAll(async () => {
  await proxy?.close();
});

async function newSecret(value: unknown): Promise<string> {
  const secretId = `test/cache-${randomUUID()}`;
  await putSecretJson(secretsManagerClient(moto.endpoint, moto.region), secretId, value);
  return secretId;
}

function cacheThroughProxy(now: () => number, stale: string[] = []) {
  return new SecretCache({
    client: secretsManagerClient(proxy.url, moto.region),
    ttlSeconds: 60,
    staleGraceSeconds: 120,
    retryAfterSeconds: 7,
    onStaleValue: (secretId) => stale.push(secretId),
    now,
  });
}

describe('SecretCache against moto', () => {
  it('happy flow: 50 concurrent cold requests cause exactly one GetSecretValue at moto', async () => {
    const secretId = await newSecret({ type: 'short_lived_tokens' });
    let fetches = 0;
    const cache = new SecretCache({
      client: secretsManagerClient(moto.endpoint, moto.region),
      observer: { onFetch: () => (fetches += 1) },
    });
    const values = await Promise.all(Array.from({ length: 50 }, () => cache.getString(secretId)));
    expect(new Set(values)).toEqual(new Set(['{"type":"short_lived_tokens"}']));
    expect(await countGetSecretValue(moto.endpoint, secretId)).toBe(1);
    expect(fetches).toBe(1);
  });

  it('happy flow: a rotated secret is picked up after the TTL, not before', async () => {
    let now = 1_000_000;
    const secretId = await newSecret({ version: 1 });
    const cache = new SecretCache({
      client: secretsManagerClient(moto.endpoint, moto.region),
      ttlSeconds: 60,
      now: () => now,
    });
    const parse = (raw: unknown) => raw as { version: number };
    expect(await cache.getJson(secretId, parse)).toEqual({ version: 1 });
    await putSecretJson(secretsManagerClient(moto.endpoint, moto.region), secretId, { version: 2 });
    now += 59_000;
    expect(await cache.getJson(secretId, parse)).toEqual({ version: 1 });
    now += 1_000;
    expect(await cache.getJson(secretId, parse)).toEqual({ version: 2 });
    expect(await countGetSecretValue(moto.endpoint, secretId)).toBe(2);
  });

  it('error flow: Secrets Manager down with a cached value serves it within the grace, then 503', async () => {
    let now = 2_000_000;
    const stale: string[] = [];
    const secretId = await newSecret({ v: 'good' });
    const cache = cacheThroughProxy(() => now, stale);
    expect(await cache.getString(secretId)).toBe('{"v":"good"}');

    proxy.cut();
    try {
      now += 61_000; // past the TTL, inside the grace
      expect(await cache.getString(secretId)).toBe('{"v":"good"}');
      expect(stale).toEqual([secretId]);
      now += 120_000; // past TTL + grace
      const error = await cache.getString(secretId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as ServiceUnavailableError).headers['retry-after']).toBe('7');
      expect((error as Error).message).not.toContain('good');
    } finally {
      proxy.restore();
    }
  });

  it('error flow: Secrets Manager down with no value at all is 503 with Retry-After', async () => {
    const secretId = await newSecret({ v: 1 });
    const cache = cacheThroughProxy(Date.now);
    proxy.cut();
    try {
      const error = await cache.getString(secretId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error).toMatchObject({ status: 503, headers: { 'retry-after': '7' } });
    } finally {
      proxy.restore();
    }
    // Back up: served again.
    expect(await cache.getString(secretId)).toBe('{"v":1}');
  });

  it('error flow: a secret that does not exist is a 500 configuration error naming it, no Retry-After', async () => {
    const secretId = `test/missing-${randomUUID()}`;
    const cache = new SecretCache({ client: secretsManagerClient(moto.endpoint, moto.region) });
    const error = await cache.getString(secretId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ status: 500, expose: true, headers: {} });
    expect((error as ConfigurationError).detail).toBe(`secret ${secretId} does not exist`);
  });

  it('error flow: a secret the role may not read is a 500 configuration error naming it, no Retry-After', async () => {
    // Secrets Manager's JSON protocol answer to a role without secretsmanager:GetSecretValue;
    // moto does not enforce IAM, so this stand-in answers as AWS does.
    let requests = 0;
    const denied = await listenOn(
      createServer((request, response) => {
        requests += 1;
        expect(request.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
        response.writeHead(400, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': 'AccessDeniedException',
        });
        response.end(
          JSON.stringify({
            __type: 'AccessDeniedException',
            Message: 'User is not authorized to perform: secretsmanager:GetSecretValue',
          }),
        );
      }),
      '127.0.0.1',
    );
    try {
      const cache = new SecretCache({ client: secretsManagerClient(denied.url, moto.region) });
      const error = await cache.getString('crossgate/denied').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ status: 500, headers: {} });
      expect((error as ConfigurationError).detail).toBe(
        'secret crossgate/denied may not be read by this function',
      );
      expect(requests).toBeGreaterThanOrEqual(1);
    } finally {
      await denied.close();
    }
  });

  it('happy flow: invalidate() makes the next read fetch the current version at once', async () => {
    const secretId = await newSecret({ version: 1 });
    const cache = new SecretCache({ client: secretsManagerClient(moto.endpoint, moto.region) });
    expect(await cache.getString(secretId)).toBe('{"version":1}');
    await putSecretJson(secretsManagerClient(moto.endpoint, moto.region), secretId, { version: 2 });
    expect(await cache.getString(secretId)).toBe('{"version":1}');
    cache.invalidate(secretId);
    expect(await cache.getString(secretId)).toBe('{"version":2}');
    expect(await countGetSecretValue(moto.endpoint, secretId)).toBe(2);
  });
});
