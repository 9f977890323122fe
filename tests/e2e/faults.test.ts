import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultInput } from '../../local/stand-in';
import { seedGerritSecret } from '../../local/seed/gerrit-secret';
import { tokenFor } from '../../local/tokens';
import {
  expectOk,
  expectProblem,
  timedCall,
  untilStatus,
  type TimedResponse,
} from '../helpers/fault-client';
import { faultSwitches, startFaultStack, type FaultStack } from '../helpers/fault-stack';
import { standInInspector } from '../helpers/gerrit-stand-in';

/**
 * One dependency at a time goes down, hangs or fails, through serverless offline, on a stack of
 * this file's own (tests/helpers/fault-stack.ts): the shared stack and the other e2e files never
 * see these faults. Each case asserts status, problem type, Retry-After, a latency bound, and
 * recovery without a restart. The cases run in order and share warm functions on purpose: "cold"
 * cases come before the first call of their function.
 */

const SECRETS_TTL_SECONDS = 5;
let stack: FaultStack;
let gatewayUrl: string;
let google: (settings: Record<string, unknown>) => Promise<void>;
let gerrit: ReturnType<typeof standInInspector>;
/** The stand-in kit's FaultInput, including modes the inspector helper does not type. */
let gerritFault: (fault: FaultInput) => Promise<void>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startFaultStack({ portShift: 1700, secretsTtlSeconds: SECRETS_TTL_SECONDS });
  gatewayUrl = stack.state.gatewayUrl ?? '';
  const switches = faultSwitches(stack.state);
  google = async (settings) => {
    const path = Object.keys(settings).length === 0 ? 'reset' : 'faults';
    const response = await fetch(`${switches.googleAdmin}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    if (!response.ok) throw new Error(`Google stand-in ${path}: ${response.status}`);
  };
  gerrit = standInInspector(switches.gerrit);
  gerritFault = async (fault) => {
    const response = await fetch(`${switches.gerrit}/__stand-in/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    if (!response.ok) throw new Error(`Gerrit stand-in faults: ${response.status}`);
  };
  // Tokens come from moto's Cognito and the OIDC provider directly, never through a fault.
  for (const name of ['alice', 'bob', 'ci-bot']) tokens[name] = await tokenFor(stack.state, name);
}, 180_000);

afterAll(async () => {
  // Everything switched here belongs to this file's stack; stopping it restores the machine.
  await stack?.stop();
});

/** Gerrit's own Query Changes through the gateway (base URL <gateway>/gerrit). */
const gerritQuery = (): Promise<TimedResponse> =>
  timedCall(gatewayUrl, '/gerrit/a/changes/?q=project:demo&n=1', {
    bearer: tokens['ci-bot'] ?? '',
  });
/** A Gerrit JSON answer, without its `)]}'` first line. */
const gerritJson = (body: unknown): unknown => JSON.parse(String(body).replace(/^\)\]\}'\n/, ''));
const runEcho = (path = '/get'): Promise<TimedResponse> =>
  timedCall(gatewayUrl, `/run/echo${path}`, { bearer: tokens['ci-bot'] ?? '' });
/** ledger admits admins only: alice. */
const runLedger = (): Promise<TimedResponse> =>
  timedCall(gatewayUrl, '/run/ledger/get', { bearer: tokens.alice ?? '' });
const listSingers = (): Promise<TimedResponse> =>
  timedCall(gatewayUrl, '/spanner/listSingers', {
    bearer: tokens.bob ?? '',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"params":{}}',
  });

describe('Secrets Manager down', () => {
  it('error flow: cold, with no value to serve, Gerrit calls get 503 with Retry-After; back, they work', async () => {
    await stack.secrets.set('refuse');
    try {
      const down = await gerritQuery();
      expectProblem(down, {
        status: 503,
        slug: 'service-unavailable',
        retryAfter: true,
        maxMs: 10_000,
      });
      expect(JSON.stringify(down.body)).not.toMatch(/password/i);
    } finally {
      await stack.secrets.set('pass');
    }
    const back = await untilStatus(gerritQuery, 200);
    expect(gerritJson(back.body)).toHaveLength(1);
  });

  it('happy flow: warm, past the TTL, the last good value is served while Secrets Manager is down', async () => {
    expectOk(await gerritQuery());
    await sleep(SECRETS_TTL_SECONDS * 1000 + 500);
    await stack.secrets.set('refuse');
    try {
      const stale = await gerritQuery();
      expectOk(stale);
      expect(stale.elapsedMs).toBeLessThan(5_000);
    } finally {
      await stack.secrets.set('pass');
    }
    expectOk(await gerritQuery());
  });
});

describe('Google token endpoints down or slow', () => {
  it('error flow: down with no token cached, /run gets 503 with Retry-After; back, it works', async () => {
    await google({ mode: 'unavailable' });
    try {
      expectProblem(await runEcho(), {
        status: 503,
        slug: 'service-unavailable',
        retryAfter: true,
        maxMs: 10_000,
      });
    } finally {
      await google({});
    }
    const back = await untilStatus(() => runEcho(), 200);
    expect(back.body).toMatchObject({ method: 'GET' });
  });

  it('happy flow: slow while the cached token is inside its refresh margin, the token is still used', async () => {
    // Tokens that live 200 s are inside the 300 s refresh margin from the start: every call
    // tries a refresh. With Google slower than the mint timeout, the still-valid token serves.
    // The ledger service is a fresh audience (echo's token, minted above, lives an hour).
    await google({ tokenLifetimeSeconds: 200 });
    await untilStatus(runLedger, 200);
    await google({ mode: 'slow', delayMs: 20_000 });
    try {
      const slow = await runLedger();
      expectOk(slow);
      expect(slow.elapsedMs).toBeLessThan(8_000);
    } finally {
      await google({});
    }
    expectOk(await runLedger());
  });
});

describe('Cloud Run service hanging', () => {
  it('error flow: /hang gets 504 gateway-timeout within the service timeout and retries; the next call works', async () => {
    const hung = await runEcho('/hang');
    expectProblem(hung, { status: 504, slug: 'gateway-timeout', retryAfter: false, maxMs: 15_000 });
    expectOk(await runEcho('/get'));
  });
});

describe('Spanner unreachable', () => {
  it('error flow: refused connections get 503 with Retry-After at once; back, statements run', async () => {
    await stack.spanner.set('refuse');
    try {
      expectProblem(await listSingers(), {
        status: 503,
        slug: 'service-unavailable',
        retryAfter: true,
        maxMs: 8_000,
      });
    } finally {
      await stack.spanner.set('pass');
    }
    const back = await untilStatus(listSingers, 200, { attempts: 20 });
    expect((back.body as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
  });
});

describe('Gerrit failing or hanging', () => {
  it('error flow: Gerrit 503 gets 502 bad-gateway; once it answers again, calls work', async () => {
    await gerrit.fault({ path: '^/a/changes', status: 503, body: 'overloaded', times: 50 });
    try {
      const failed = await gerritQuery();
      expectProblem(failed, { status: 502, slug: 'bad-gateway', retryAfter: false, maxMs: 8_000 });
      expect(JSON.stringify(failed.body)).not.toContain('overloaded');
    } finally {
      await gerrit.clearFaults();
    }
    expectOk(await gerritQuery());
  });

  it('error flow: a hanging Gerrit gets 504 gateway-timeout within the bound; then calls work', async () => {
    await gerritFault({ mode: 'hang', path: '^/a/changes', times: 50 });
    try {
      const hung = await gerritQuery();
      expectProblem(hung, {
        status: 504,
        slug: 'gateway-timeout',
        retryAfter: false,
        maxMs: 15_000,
      });
    } finally {
      await gerrit.clearFaults();
    }
    expectOk(await gerritQuery());
  });
});

describe('Gerrit password rotated', () => {
  it('happy flow: after a rotation the gateway gets a 401, rereads the secret and succeeds in the same request', async () => {
    expectOk(await gerritQuery());
    const moto = stack.state.moto;
    const gerritState = stack.state.gerrit as { serviceAccount: string; secretId: string };
    if (!moto) throw new Error('moto is not running');
    const password = randomBytes(18).toString('base64url');
    await seedGerritSecret(moto.endpoint, moto.region, {
      username: gerritState.serviceAccount,
      password,
    });
    await gerrit.settings({ servicePassword: password });
    await gerrit.clearRequests();

    const rotated = await gerritQuery();
    expectOk(rotated);
    expect(rotated.elapsedMs).toBeLessThan(5_000);
    const seen = (await gerrit.requests()).filter((request) => request.url.startsWith('/a/'));
    // The old password was refused once, then the reread one worked: no restart, no wait.
    expect(seen.map((request) => request.status)).toEqual([401, 200]);
  });
});
