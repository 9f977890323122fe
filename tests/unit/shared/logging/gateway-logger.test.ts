import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  GatewayLogFormatter,
  GatewayLogger,
  PlainLogItem,
} from '../../../../shared/logging/gateway-logger';
import { redactSensitive } from '../../../../shared/logging/redact';
import { lambdaContext } from '../../../helpers/lambda-event';

/** A logger's printed text, captured. */
function capture(logger: Logger): () => string {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  (logger as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
  return () => chunks.splice(0).join('');
}

/** Powertools as configured before GatewayLogger: the reference output. */
const stock = new Logger({
  serviceName: 'crossgate',
  jsonReplacerFn: redactSensitive,
  logLevel: 'DEBUG',
});
const gateway = new GatewayLogger({ serviceName: 'crossgate', logLevel: 'DEBUG' });
const stockText = capture(stock);
const gatewayText = capture(gateway);
const context = lambdaContext(1000);
for (const logger of [stock, gateway]) {
  logger.addContext(context);
  logger.setCorrelationId('0af7651916cd43dd8448eb211c80319c');
  logger.appendPersistentKeys({ route: 'GET /me' });
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const print = (level: Level, message: string, extra: unknown[]) => {
  (stock[level] as (m: string, ...e: unknown[]) => void)(message, ...extra);
  (gateway[level] as (m: string, ...e: unknown[]) => void)(message, ...extra);
  return { expected: stockText(), actual: gatewayText() };
};

/** Values a log line carries, with what the fast path must hand back to Powertools. */
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('Bearer abc.def.ghi', 'bearer x', '', 'b'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt({ min: -5n, max: 5n }),
  fc.date({ noInvalidDate: true }),
  fc.constant(new Error('boom')),
);
const key = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('authorization', 'Token', 'password', 'constructor', 'route', 'function_arn'),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
}));

describe('GatewayLogger', () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-02T08:00:00.000Z'));
  });
  afterAll(() => vi.useRealTimers());

  it('prints the audit line as stock Powertools does, on the fast path', () => {
    const audit = {
      audit: {
        route: 'GET /me',
        decision: 'allow',
        status: 200,
        target: undefined,
        principal: { subject: 'abc', groups: ['developers'], kind: 'person' },
      },
    };
    const { expected, actual } = print('info', 'audit', [audit]);
    expect(actual).toBe(expected);
    const formatted = new GatewayLogFormatter().formatAttributes(
      {
        logLevel: 'INFO',
        message: 'audit',
        timestamp: new Date(),
        serviceName: 'crossgate',
      } as never,
      { correlation_id: 'c', ...audit },
    );
    expect(formatted).toBeInstanceOf(PlainLogItem);
    expect(JSON.parse(actual)).toMatchObject({
      level: 'INFO',
      message: 'audit',
      correlation_id: '0af7651916cd43dd8448eb211c80319c',
      route: 'GET /me',
      audit: { decision: 'allow', principal: { groups: ['developers'] } },
    });
  });

  it('prints what stock Powertools prints, byte for byte, for any line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Level>('debug', 'info', 'warn', 'error'),
        fc.oneof(fc.string({ maxLength: 10 }), fc.constant('Bearer secret-token')),
        fc.array(fc.oneof(fc.dictionary(key, value, { maxKeys: 5 }), leaf), { maxLength: 2 }),
        (level, message, extra) => {
          const { expected, actual } = print(level, message, extra);
          expect(actual).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('still redacts, and drops cycles and __proto__ keys, as Powertools does', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const polluted = JSON.parse('{"__proto__":{"admin":true},"ok":1}') as object;
    const { expected, actual } = print('warn', 'odd', [
      { headers: { Authorization: 'Bearer abc' }, note: 'Bearer xyz', cyclic, polluted },
    ]);
    expect(actual).toBe(expected);
    expect(actual).not.toContain('abc');
    expect(actual).not.toContain('xyz');
    expect(actual).not.toContain('admin');
  });
});

describe('GatewayLogger.audit', () => {
  afterEach(() => vi.unstubAllEnvs());
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-02T08:00:00.000Z'));
  });
  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  /** A fresh pair, each given the same invocation as the chain gives it. */
  function pair(options: { logLevel?: 'INFO' | 'ERROR' } = {}) {
    const reference = new Logger({ serviceName: 'crossgate', jsonReplacerFn: redactSensitive });
    const subject = new GatewayLogger({ serviceName: 'crossgate', ...options });
    const invocation = lambdaContext(1000);
    for (const logger of [reference, subject]) {
      logger.addContext(invocation);
      logger.setCorrelationId('4bf92f3577b34da6a3ce929d0e0e4736');
      logger.appendPersistentKeys({ route: 'GET /me' });
    }
    return { reference, subject, referenceText: capture(reference), subjectText: capture(subject) };
  }

  const audit = {
    route: 'GET /me',
    method: 'GET',
    decision: 'allow',
    status: 200,
    target: undefined,
    principal: { subject: 'abc', username: 'bob', kind: 'person' },
  };

  it("prints Powertools' own audit line, byte for byte, with and without an X-Ray trace", () => {
    for (const trace of [
      '',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    ]) {
      vi.stubEnv('_X_AMZN_TRACE_ID', trace);
      // On demand: the first invocation is a cold start (Powertools reads this at construction).
      vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
      // A configured sampling rate is printed on every line.
      vi.stubEnv('POWERTOOLS_LOGGER_SAMPLE_RATE', trace ? '1' : '');
      const { reference, subject, referenceText, subjectText } = pair();
      for (let request = 0; request < 2; request += 1) {
        reference.info('audit', { audit });
        subject.audit({
          route: 'GET /me',
          correlationId: '4bf92f3577b34da6a3ce929d0e0e4736',
          audit,
        });
        const printed = subjectText();
        expect(printed).toBe(referenceText());
        expect(JSON.parse(printed)).toMatchObject({ cold_start: request === 0 });
        // The next invocation: Powertools' injectLambdaContext would add it again.
        const next = lambdaContext(1000);
        reference.addContext(next);
        subject.addContext(next);
      }
    }
  });

  it('hands the invocation to Powertools only for its own lines: they match, request after request', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const { reference, subject, referenceText, subjectText } = pair();
    // Request 1 prints only its audit line (the subject's context stays with the subject).
    reference.info('audit', { audit });
    subject.audit({ route: 'GET /me', correlationId: '4bf92f3577b34da6a3ce929d0e0e4736', audit });
    expect(subjectText()).toBe(referenceText());
    // Request 2 also writes a warning and asks for the id; then a child logger writes.
    const next = lambdaContext(1000);
    for (const logger of [reference, subject]) {
      logger.addContext(next);
      logger.setCorrelationId('c0ffee00c0ffee00c0ffee00c0ffee00');
      logger.warn('upstream slow', { upstreamMs: 812 });
    }
    const warning = subjectText();
    expect(warning).toBe(referenceText());
    expect(JSON.parse(warning)).toMatchObject({
      cold_start: false,
      function_request_id: next.awsRequestId,
      correlation_id: 'c0ffee00c0ffee00c0ffee00c0ffee00',
    });
    expect(subject.getCorrelationId()).toBe(reference.getCorrelationId());
    const referenceChild = reference.createChild();
    const subjectChild = subject.createChild();
    const referenceChildText = capture(referenceChild);
    const subjectChildText = capture(subjectChild);
    referenceChild.error('child line');
    subjectChild.error('child line');
    expect(subjectChildText()).toBe(referenceChildText());
  });

  it('takes the replacer path for what must be redacted, and still matches', () => {
    const { reference, subject, referenceText, subjectText } = pair();
    const leaky = { ...audit, note: 'Bearer abc.def', headers: { authorization: 'x' } };
    reference.info('audit', { audit: leaky });
    subject.audit({
      route: 'GET /me',
      correlationId: '4bf92f3577b34da6a3ce929d0e0e4736',
      audit: leaky,
    });
    const printed = subjectText();
    expect(printed).toBe(referenceText());
    expect(printed).not.toContain('abc.def');
  });

  it('is written whatever the log level: an audit trail is not a debug log', () => {
    const { subject, subjectText } = pair({ logLevel: 'ERROR' });
    subject.info('dropped at ERROR');
    subject.audit({ route: 'GET /me', correlationId: 'c1', audit });
    const lines = subjectText().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ message: 'audit', correlation_id: 'c1' });
  });
});
