import { getNumberFromEnv, getXRayTraceIdFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { LogFormatter, LogItem, Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type {
  ConstructorOptions,
  LogAttributes,
  LogLevel,
  UnformattedAttributes,
} from '@aws-lambda-powertools/logger/types';
import { isoTimestamp } from './iso-timestamp';
import { redactSensitive } from './redact';

/** What the logger reads of Lambda's invocation context (Powertools' `addContext`). */
export interface LambdaContextFields {
  invokedFunctionArn: string;
  awsRequestId: string;
  memoryLimitInMB: string | number;
  functionName: string;
  functionVersion: string;
  tenantId?: string;
}

/** Powertools' options that do not change the format (formatter, order, replacer). */
export interface GatewayLoggerOptions {
  serviceName?: string;
  logLevel?: LogLevel;
  environment?: string;
  sampleRateValue?: number;
  persistentKeys?: LogAttributes;
}

/**
 * Powertools' Logger with a cheaper way to print the common line, and the same output.
 *
 * Issue 16: one `logger.info` was 6.7 µs, most of a warm /me. Two of its costs are in the
 * print, not in what it prints: the attributes are deep-merged (a clone of every nested
 * object), then stringified with a replacer function, which takes JSON.stringify off V8's
 * fast path for every key. For a line of plain data whose keys and values the redaction
 * replacer would leave as they are (the audit line, nearly every line) neither changes the
 * text, so such a line is merged shallowly and stringified without a replacer. Anything else
 * (errors, bigints, cycles, a key or value to redact, `__proto__`/`constructor` keys, class
 * instances) takes Powertools' own path, unchanged. tests/unit/shared/logging checks, on
 * generated lines, that both loggers print the same bytes.
 *
 * Only Powertools' extension points are used: a custom LogFormatter (`logFormatter`), and the
 * protected `printLog`, `getJsonReplacer` and `createLogger`.
 */
export class GatewayLogger extends Logger {
  /** Set only while `printLog` prints a PlainLogItem, so `getJsonReplacer` can step aside. */
  #printingPlain = false;
  readonly #formatter: GatewayLogFormatter;
  readonly #serviceName: string;
  readonly #sampleRate: number;
  /** The invocation `addContext` was last given, and whether it was the container's first. */
  #invocation: { context: LambdaContextFields; coldStart: boolean } | undefined;
  /** Set by `addContext`, until Powertools' store has it (see `applyInvocation`). */
  #invocationPending = false;
  /** The id `setCorrelationId` was last given, until Powertools' store has it. */
  #pendingCorrelationId: string | undefined;

  /** Redaction (redact.ts) is part of the format: its replacer cannot be swapped. */
  constructor(options: GatewayLoggerOptions = {}) {
    const formatter = new GatewayLogFormatter();
    super({ ...options, jsonReplacerFn: redactSensitive, logFormatter: formatter });
    this.#formatter = formatter;
    this.#serviceName =
      options.serviceName ?? process.env.POWERTOOLS_SERVICE_NAME ?? 'service_undefined';
    // Powertools' order: the constructor's value, else POWERTOOLS_LOGGER_SAMPLE_RATE, if valid.
    this.#sampleRate =
      [
        options.sampleRateValue,
        getNumberFromEnv({ key: 'POWERTOOLS_LOGGER_SAMPLE_RATE', defaultValue: 0 }),
      ].find((value): value is number => typeof value === 'number' && value >= 0 && value <= 1) ??
      0;
  }

  /**
   * Kept here, and handed to Powertools' attribute store only when a line of its own is made
   * (or the store is read): most requests print only the audit line, which `audit()` builds
   * from these fields, and the store's `addContext` and `setCorrelationId` were ~1.2 µs of a
   * 10 µs warm /me (issue 16). Every line prints the same fields as before.
   */
  override addContext(context: LambdaContextFields): void {
    // true on the container's first invocation, unless it was initialised ahead
    // (provisioned concurrency, SnapStart); Powertools clears it as it reads it.
    this.#invocation = { context, coldStart: this.getColdStart() };
    this.#invocationPending = true;
  }

  override setCorrelationId(value: unknown, correlationIdPath?: string): void {
    if (typeof value === 'string' && correlationIdPath === undefined) {
      this.#pendingCorrelationId = value;
      return;
    }
    this.applyInvocation();
    super.setCorrelationId(value, correlationIdPath);
  }

  override getCorrelationId(): unknown {
    this.applyInvocation();
    return super.getCorrelationId();
  }

  override appendKeys(attributes: LogAttributes): void {
    this.applyInvocation();
    super.appendKeys(attributes);
  }

  override removeKeys(keys: string[]): void {
    this.applyInvocation();
    super.removeKeys(keys);
  }

  override resetKeys(): void {
    this.applyInvocation();
    super.resetKeys();
  }

  override createChild(options?: ConstructorOptions): Logger {
    this.applyInvocation();
    return super.createChild(options);
  }

  protected override createAndPopulateLogItem(
    ...args: Parameters<Logger['createAndPopulateLogItem']>
  ): LogItem {
    this.applyInvocation();
    return super.createAndPopulateLogItem(...args);
  }

  /** Hands what `addContext` and `setCorrelationId` were given to Powertools' store. */
  private applyInvocation(): void {
    // Powertools may make a line from its own constructor, before these fields exist.
    if (!(#invocationPending in this)) return;
    if (this.#invocationPending && this.#invocation) {
      this.#invocationPending = false;
      // Powertools' addContext asks getColdStart, which answered (and cleared) already.
      this.coldStart = this.#invocation.coldStart;
      super.addContext(this.#invocation.context as Parameters<Logger['addContext']>[0]);
    }
    const correlationId = this.#pendingCorrelationId;
    if (correlationId !== undefined) {
      this.#pendingCorrelationId = undefined;
      super.setCorrelationId(correlationId);
    }
  }

  /**
   * The request's audit event, as `info('audit', { audit })` prints it with the `route` and
   * `correlation_id` keys, but always: an audit trail is not a debug log, so neither the log
   * level nor sampling drops it. And cheaper: the line is built from what the chain already
   * holds instead of Powertools' per-line lookups of its attribute store (six environment
   * reads per line). Other keys appended to the logger are not on it. tests/unit/shared/logging
   * checks it against Powertools' own line.
   */
  audit(fields: { route: string; correlationId: string; audit: Record<string, unknown> }): void {
    const context = this.#invocation?.context;
    const attributes: LogAttributes = {
      level: 'INFO',
      message: 'audit',
      timestamp: this.#formatter.formatTimestamp(new Date()),
      service: this.#serviceName,
      cold_start: this.#invocation?.coldStart,
      function_arn: context?.invokedFunctionArn,
      function_memory_size: context?.memoryLimitInMB,
      function_name: context?.functionName,
      function_request_id: context?.awsRequestId,
      sampling_rate: this.#sampleRate,
      xray_trace_id: getXRayTraceIdFromEnv(),
      tenant_id: context?.tenantId,
      route: fields.route,
      correlation_id: fields.correlationId,
      audit: fields.audit,
    };
    // Only the audit fields can hold what the replacer changes: the other values are the
    // chain's own (a route key, a correlation id without spaces, Lambda's ids, a timestamp),
    // none of which can read `Bearer <token>` or sit under a sensitive key.
    const item = isPlainData(fields.audit, 1)
      ? new PlainLogItem({ attributes })
      : new LogItem({ attributes: {} }).addAttributes(attributes);
    this.printLog(LogLevelThreshold.INFO, item);
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    // Powertools may log from its own constructor (a sampling rate sets DEBUG and says so),
    // before this class's fields exist: such a line takes Powertools' path.
    if (!(#printingPlain in this)) {
      super.printLog(logLevel, log);
      return;
    }
    this.#printingPlain = log instanceof PlainLogItem;
    try {
      super.printLog(logLevel, log);
    } finally {
      this.#printingPlain = false;
    }
  }

  protected override getJsonReplacer(): (key: string, value: unknown) => void {
    // JSON.stringify ignores a replacer that is not a function or an array, and then runs
    // on V8's fast path. A PlainLogItem holds nothing the replacer would change.
    if (#printingPlain in this && this.#printingPlain) {
      return null as unknown as (key: string, value: unknown) => void;
    }
    return super.getJsonReplacer();
  }

  protected override createLogger(options?: ConstructorOptions): Logger {
    // What Powertools' createChild passes on, minus the format, which is this class's.
    const { serviceName, logLevel, environment, sampleRateValue, persistentKeys } = (options ??
      {}) as GatewayLoggerOptions;
    return new GatewayLogger({
      serviceName,
      logLevel,
      environment,
      sampleRateValue,
      persistentKeys,
    });
  }
}

/** A log item built by GatewayLogFormatter from plain data that needs no replacer. */
export class PlainLogItem extends LogItem {}

/**
 * Powertools' default format (PowertoolsLogFormatter, which the package does not export),
 * with the plain-data shortcut above.
 */
export class GatewayLogFormatter extends LogFormatter {
  /** TZ is read once: Powertools reads it for every line, and Lambda never changes it. */
  readonly #utc = !process.env.TZ || process.env.TZ.includes('UTC');

  override formatAttributes(
    attributes: UnformattedAttributes,
    additionalLogAttributes: LogAttributes,
  ): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
      tenant_id: attributes.lambdaContext?.tenantId,
    };
    if (!isPlainData(base, 0) || !isPlainData(additionalLogAttributes, 0)) {
      return new LogItem({ attributes: base }).addAttributes(additionalLogAttributes);
    }
    // What deepMerge does for plain data: later keys win, except that undefined never
    // replaces a value.
    for (const key of Object.keys(additionalLogAttributes)) {
      const value = additionalLogAttributes[key];
      if (value !== undefined || base[key] === undefined) base[key] = value;
    }
    return new PlainLogItem({ attributes: base });
  }

  override formatTimestamp(now: Date): string {
    return this.#utc ? isoTimestamp(now.getTime()) : super.formatTimestamp(now);
  }
}

/** Deeper than this, a line takes Powertools' path (which also guards against cycles). */
const MAX_PLAIN_DEPTH = 6;

/**
 * True when stringifying `value` without Powertools' replacer and merge gives the same text:
 * only plain objects, arrays, strings, finite-or-not numbers, booleans, null and undefined,
 * no key or value the redaction replacer changes, no key deepMerge drops, no cycle.
 */
function isPlainData(value: object, depth: number): boolean {
  if (depth > MAX_PLAIN_DEPTH) return false;
  const isArray = Array.isArray(value);
  if (!isArray && Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor') return false;
    const item = (value as Record<string, unknown>)[key];
    // Arrays are stringified with index keys; the replacer sees them as such.
    if (redactSensitive(key, item) !== item) return false;
    if (typeof item === 'object') {
      if (item !== null && !isPlainData(item, depth + 1)) return false;
    } else if (typeof item === 'bigint' || typeof item === 'function' || typeof item === 'symbol') {
      return false;
    }
  }
  return true;
}
