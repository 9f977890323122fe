import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { decodeProtectedHeader, jwtVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsManagerClient } from '../../../local/seed/moto-clients';
import { ASSERTION_KEYS_SECRET_ID, seedAssertionKeys } from '../../../local/seed/assertion-keys';
import { resolvePorts } from '../../../local/ports';
import { motoService } from '../../../local/services/moto';
import type { StackState, StartedService } from '../../../local/services/types';
import { AssertionSigner } from '../../../shared/assertion/assertion-signer';
import { publicJwks } from '../../../shared/assertion/jwks';
import { addNextKey, promoteNextKey } from '../../../shared/assertion/key-rotation';
import { assertionKeySetParser } from '../../../shared/assertion/key-set';
import { SecretCache } from '../../../shared/secrets/secret-cache';
import { freeLoopbackPort } from './free-port';
import { bobPrincipal as bob } from '../../helpers/seed-principals';

const ECHO = 'https://echo-abc123-uc.a.run.app';
const ISSUER_URL = 'https://gateway.example.com';

let moto: StartedService;
const state = {} as StackState;
const lambdaEnv: Record<string, string> = {};

beforeAll(async () => {
  // A moto of this file's own, on a free loopback port: the stack's moto service as `npm start` runs it.
  const port = await freeLoopbackPort('moto');
  const ports = { ...resolvePorts(), moto: port };
  moto = await motoService.start({ ports, state, lambdaEnv, verbose: false });
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

function endpoint() {
  if (!state.moto) throw new Error('moto did not start');
  return state.moto;
}

async function storedDocument(): Promise<unknown> {
  const client = secretsManagerClient(endpoint().endpoint, endpoint().region);
  try {
    const result = await client.send(
      new GetSecretValueCommand({ SecretId: ASSERTION_KEYS_SECRET_ID }),
    );
    return JSON.parse(result.SecretString ?? 'null');
  } finally {
    client.destroy();
  }
}

describe('the assertion key set in Secrets Manager (moto)', () => {
  it('happy flow: the stack seeds a key set and publishes its id to the functions', async () => {
    expect(lambdaEnv.CROSSGATE_ASSERTION_KEYS_SECRET_ID).toBe(ASSERTION_KEYS_SECRET_ID);
    const parse = assertionKeySetParser(ASSERTION_KEYS_SECRET_ID);
    expect(parse(await storedDocument()).current.kid).toMatch(/^[\w-]{43}$/);
  });

  it('happy flow: read through SecretCache, signed, verified; a rotation is picked up after the TTL', async () => {
    let clock = Date.now();
    const client = secretsManagerClient(endpoint().endpoint, endpoint().region);
    let secretFetches = 0;
    const secrets = new SecretCache({
      client,
      ttlSeconds: 60,
      now: () => clock,
      observer: {
        onFetch: () => {
          secretFetches += 1;
        },
      },
    });
    const parse = assertionKeySetParser(ASSERTION_KEYS_SECRET_ID);
    const keySet = () => secrets.getJson(ASSERTION_KEYS_SECRET_ID, parse);
    let signatures = 0;
    const signer = new AssertionSigner({
      issuerUrl: ISSUER_URL,
      keySet,
      now: () => clock,
      onSign: () => {
        signatures += 1;
      },
    });
    const verify = async (token: string) =>
      jwtVerify(token, createLocalJWKSet(publicJwks(await keySet())), {
        algorithms: ['ES256'],
        issuer: ISSUER_URL,
        audience: ECHO,
        currentDate: new Date(clock),
      });

    const first = await signer.assertionFor(bob, ECHO);
    const oldKid = decodeProtectedHeader(first).kid;
    expect((await verify(first)).payload.sub).toBe('cognito|7f3a-uuid');
    for (let i = 0; i < 10; i += 1) await signer.assertionFor(bob, ECHO);
    expect(signatures).toBe(1);
    expect(secretFetches).toBe(1);

    // add-next: published (after the secret TTL), still not signing.
    const withNext = await addNextKey(await storedDocument());
    await seedAssertionKeys(endpoint().endpoint, endpoint().region, withNext);
    clock += 61_000;
    expect(publicJwks(await keySet()).keys.map((key) => key.kid)).toEqual([
      oldKid,
      withNext.next!.jwk.kid,
    ]);
    expect(decodeProtectedHeader(await signer.assertionFor(bob, ECHO)).kid).toBe(oldKid);

    // promote: the next key signs; the old one is still published, so `first` still verifies.
    await seedAssertionKeys(
      endpoint().endpoint,
      endpoint().region,
      promoteNextKey(withNext, { minPublishedSeconds: 0 }),
    );
    clock += 61_000;
    const second = await signer.assertionFor(bob, ECHO);
    expect(decodeProtectedHeader(second).kid).toBe(withNext.next!.jwk.kid);
    await expect(verify(second)).resolves.toBeDefined();
    expect(secretFetches).toBe(3);
    client.destroy();
  });
});
