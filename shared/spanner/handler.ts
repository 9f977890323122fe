import type { Database } from '@google-cloud/spanner';
import type { AuthClient } from 'google-auth-library';
import { containerModuleDependencies, type GatewayDependencies } from '../container';
import { ConfigurationError, NotFoundError } from '../errors';
import { AccessTokenAuthClient } from '../gcp/access-token-auth-client';
import { gcpCredentialsFor } from '../gcp/container-gcp-credentials';
import { assertTimeLeft, remainingMs, withTimeout } from '../http/outbound-call';
import { jsonResponse } from '../http/responses';
import type { TargetResolver } from '../middleware/authorization';
import { gatewayRoute } from '../middleware/gateway-handler';
import type { ModuleConfig } from '../modules/gateway-module';
import type { SpannerConfig, SpannerStatementConfig } from './config-schema';
import { SPANNER_ROUTE, spannerModule } from './module';
import { bindParams } from './param-values';
import { readStatementParams } from './request-body';
import { spannerTag } from './request-tags';
import { containerSpanner } from './spanner-client';
import { runRead, runWrite } from './statement-runner';
import { maskRows } from './column-mask';
import { hashMaskApplies } from './mask-key';
import { secretCacheFor } from '../secrets/container-secret-cache';

export type SpannerFunctionConfig = ModuleConfig<'spanner', SpannerConfig>;

export interface SpannerHandlerOptions {
  /** Config, verifier and logger; the container's (core + spanner section) by default. */
  dependencies?: GatewayDependencies<SpannerFunctionConfig>;
  /** The database handle; tests pass one pointed at the emulator. Default: the container's. */
  database?: (config: SpannerFunctionConfig) => Promise<Database>;
  /** The Google identity for Spanner in AWS; see `spannerAuthClient`. */
  authClient?: (config: SpannerFunctionConfig) => Promise<AuthClient | undefined>;
  /**
   * The deployment's mask key (HMAC key of `hash` masks). Default: the secret named by
   * `spanner.maskKeySecretId`, through the container's secret cache. Called only when a hash
   * mask applies to the caller.
   */
  maskKey?: (config: SpannerFunctionConfig) => Promise<string>;
}

/** The mask key from Secrets Manager, cached with the container's other secrets. */
export async function secretMaskKey(config: SpannerFunctionConfig): Promise<string> {
  const secretId = config.spanner.maskKeySecretId;
  if (!secretId) {
    throw new ConfigurationError(
      'spanner.maskKeySecretId names no mask key (needed by hash masks)',
    );
  }
  return secretCacheFor(config).getString(secretId);
}

/** A statement from config, resolved once per request. */
export interface ResolvedStatement {
  name: string;
  statement: SpannerStatementConfig;
}

/** OAuth scope of Spanner's data API: reads, DML and sessions, nothing administrative. */
export const SPANNER_DATA_SCOPE = 'https://www.googleapis.com/auth/spanner.data';

/**
 * The Google identity Spanner uses in AWS: access tokens from the spanner section's own GCP
 * credentials (Secrets Manager -> google-auth-library), cached per scope set and minted once
 * for many requests. Never a key file on disk. Offline (emulatorHost set) it is never called.
 */
export async function spannerAuthClient(config: SpannerFunctionConfig): Promise<AuthClient> {
  const gcp = config.spanner.gcp;
  if (!gcp) {
    throw new ConfigurationError(
      'spanner.gcp names no credential secret (required outside the emulator)',
    );
  }
  return new AccessTokenAuthClient(gcpCredentialsFor(config, gcp), [SPANNER_DATA_SCOPE]);
}

/** Finds the statement named in the path; unknown names are 404 before anything runs. */
export function statementResolver(spanner: SpannerConfig): TargetResolver<ResolvedStatement> {
  return (event) => {
    const name = event.pathParameters?.query ?? '';
    const statement = Object.hasOwn(spanner.statements, name)
      ? spanner.statements[name]
      : undefined;
    if (!statement) throw new NotFoundError(`no Spanner statement named "${name}"`);
    return { target: { name, statement }, name, policy: statement.policy };
  };
}

/**
 * `POST /spanner/{query}`: runs the named statement from config with the caller's typed
 * parameters. Body `{"params": {...}}`; answers `{"columns","rows","truncated"}` for reads and
 * `{"rowCount"}` for writes.
 */
export function createSpannerHandler(options: SpannerHandlerOptions = {}) {
  const dependencies =
    options.dependencies ?? containerModuleDependencies<'spanner', SpannerConfig>(spannerModule);
  const { config, logger, verifier } = dependencies;
  const spannerConfig = config.spanner;
  const authClient = options.authClient ?? spannerAuthClient;
  const readMaskKey = options.maskKey ?? secretMaskKey;
  const database =
    options.database ??
    (async (functionConfig: SpannerFunctionConfig) =>
      (await containerSpanner(functionConfig.spanner, () => authClient(functionConfig))).database);

  return gatewayRoute<ResolvedStatement>(
    async ({ event, principal, target, call, audit }) => {
      const { name, statement } = target;
      const given = readStatementParams(event);
      const bound = bindParams(statement.params, given, spannerConfig.dialect);
      const tag = spannerTag(name, call.correlationId);
      const spannerAudit: Record<string, unknown> = {
        statement: name,
        mode: statement.mode,
        params: Object.keys(statement.params),
        requestTag: tag,
        ...(statement.mode === 'write' ? { transactionTag: tag } : {}),
        ...(statement.auditParamValues ? { paramValues: given } : {}),
      };
      audit.spanner = spannerAudit;

      const statementCall = withTimeout(call, statement.timeoutMs ?? spannerConfig.timeoutMs);
      assertTimeLeft(statementCall, 'the statement');
      // Fetched before the statement runs: without its key a hash mask fails closed, and it is
      // better to fail before reading any row.
      const [handle, maskKey] = await Promise.all([
        database(config),
        hashMaskApplies(statement.mask, principal) ? readMaskKey(config) : undefined,
      ]);
      const run = {
        database: handle,
        name,
        statement,
        bound,
        tag,
        deadlineMs: remainingMs(statementCall),
      };
      if (statement.mode === 'read') {
        const result = await runRead(run);
        // Before encoding, every row; errors from here name columns, never values.
        const masked = maskRows(result.columns, result.rows, statement.mask, principal, maskKey);
        spannerAudit.rowCount = result.rows.length;
        spannerAudit.truncated = result.truncated;
        if (masked.maskedColumns.length > 0) spannerAudit.maskedColumns = masked.maskedColumns;
        return jsonResponse(200, { ...result, rows: masked.rows });
      }
      const result = await runWrite(run);
      spannerAudit.rowCount = result.rowCount;
      return jsonResponse(200, result);
    },
    { route: SPANNER_ROUTE, resolveTarget: statementResolver(spannerConfig), verifier, logger },
  );
}
