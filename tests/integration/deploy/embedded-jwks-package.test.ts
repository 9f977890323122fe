import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactText, invokeArtifact, unpackArtifact } from '../../helpers/artifact-runner';
import { forgeCognitoToken } from '../../helpers/forge';
import { httpApiEvent } from '../../helpers/lambda-event';
import {
  packageService,
  resourcesOfType,
  type PackagedService,
} from '../../helpers/package-service';
import { closedPort } from '../../helpers/spanner-faults';
import { testStack, token } from '../../helpers/stack';

/**
 * The package-time path of the embedded JWKS, end to end: `osls package --stage dev` with the
 * test stack's issuers, then the `me` artifact run as Lambda would, with every JWKS URI
 * pointing at a closed port. A token verifies only if its keys came inside the artifact.
 */
let dev: PackagedService;

beforeAll(async () => {
  const lambdaEnv = testStack().lambdaEnv;
  if (!lambdaEnv) throw new Error('the test stack published no lambdaEnv');
  dev = await packageService({ stage: 'dev', env: lambdaEnv });
}, 300_000);

afterAll(() => dev?.cleanup());

async function invokeMe(bearer: string) {
  const [, fn] = resourcesOfType(dev.template, 'AWS::Lambda::Function').find(([id]) =>
    id.startsWith('MeLambdaFunction'),
  ) ?? [undefined, undefined];
  if (!fn) throw new Error('no me function in the template');
  const dead = `http://127.0.0.1:${await closedPort()}/jwks`;
  const unpacked = await unpackArtifact(dev.artifacts.me as string);
  try {
    return await invokeArtifact({
      dir: unpacked.dir,
      handler: String(fn.Properties.Handler),
      functionName: String(fn.Properties.FunctionName),
      env: {
        ...testStack().lambdaEnv,
        ...(fn.Properties.Environment as { Variables: Record<string, string> }).Variables,
        // Any JWKS fetch now fails: only embedded keys can verify a token.
        CROSSGATE_OIDC_JWKS_URI: dead,
        CROSSGATE_COGNITO_JWKS_URI: dead,
      },
      event: httpApiEvent('GET /me', {
        path: '/me',
        headers: { authorization: `Bearer ${bearer}` },
      }),
    });
  } finally {
    unpacked.remove();
  }
}

describe('embedded JWKS in the packaged artifact', () => {
  it('happy flow: the bundle carries the issuers JWKS fetched at package time', async () => {
    const oidc = testStack().oidc;
    if (!oidc) throw new Error('the OIDC provider is not running');
    const { keys } = (await (await fetch(oidc.jwksUri)).json()) as { keys: { kid: string }[] };
    const bundle = await artifactText(dev.artifacts.me as string, 'functions/me/handler.mjs');
    for (const { kid } of keys) expect(bundle).toContain(kid);
  });

  it('happy flow: a cold container verifies bob and ci-bot with every JWKS endpoint unreachable', async () => {
    for (const [who, kind] of [
      ['bob', 'person'],
      ['ci-bot', 'machine'],
    ] as const) {
      const result = await invokeMe(await token(who));
      expect(result.response?.statusCode, result.logs.slice(-600)).toBe(200);
      expect(JSON.parse(String(result.response?.body))).toMatchObject({ principal: { kind } });
    }
  });

  it('error flow: an unknown kid still goes to the JWKS endpoint (here unreachable: 503)', async () => {
    const forged = await forgeCognitoToken(testStack(), { header: { kid: 'not-embedded' } });
    const result = await invokeMe(forged);
    expect(result.response?.statusCode).toBe(503);
    expect(JSON.parse(String(result.response?.body))).toMatchObject({
      type: 'urn:crossgate:problem:service-unavailable',
    });
  });
});
