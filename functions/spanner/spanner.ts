import type { Database } from '@google-cloud/spanner';
import type { AuthClient } from 'google-auth-library';
import type { GatewayConfig } from '../../shared/config/schema';
import type { SpannerStatementConfig } from '../../shared/config/spanner-schema';
import type { GatewayDependencies } from '../../shared/container';
import { invocationDeadline } from '../../shared/deadline';
import { ConfigurationError, GatewayTimeoutError, NotFoundError } from '../../shared/errors';
import { AccessTokenAuthClient } from '../../shared/gcp/access-token-auth-client';
import { gcpCredentialsFor } from '../../shared/gcp/container-gcp-credentials';
import { jsonResponse } from '../../shared/http/responses';
import type { TargetResolver } from '../../shared/middleware/authorization';
import { gatewayHandler } from '../../shared/middleware/gateway-handler';
import { SPANNER_ROUTE } from '../../shared/route-keys';
import type { GatewayContext, GatewayEvent } from '../../shared/middleware/request-state';
import { bindParams } from '../../shared/spanner/param-values';
import { readStatementParams } from '../../shared/spanner/request-body';
import { spannerTag } from '../../shared/spanner/request-tags';
import { containerSpanner } from '../../shared/spanner/spanner-client';
import { runRead, runWrite } from '../../shared/spanner/statement-runner';

/** Time kept back from the Lambda's remaining time to answer and log after Spanner gives up. */
const RESPONSE_MARGIN_MS = 500;

export interface SpannerHandlerOptions {
  dependencies?: Partial<GatewayDependencies>;
  /** The database handle; tests pass one pointed at the emulator. Default: the container's. */
  database?: (config: GatewayConfig) => Promise<Database>;
  /** The Google identity for Spanner in AWS; see `spannerAuthClient`. */
  authClient?: (config: GatewayConfig) => Promise<AuthClient | undefined>;
}

/** OAuth scope of Spanner's data API: reads, DML and sessions, nothing administrative. */
export const SPANNER_DATA_SCOPE = 'https://www.googleapis.com/auth/spanner.data';

/**
 * The Google identity Spanner uses in AWS: access tokens from the shared GCP credentials
 * (Secrets Manager -> google-auth-library), cached per scope set and minted once for many
 * requests. Never a key file on disk. Offline (spanner.emulatorHost set) it is never called.
 */
export async function spannerAuthClient(config: GatewayConfig): Promise<AuthClient> {
  return new AccessTokenAuthClient(gcpCredentialsFor(config), [SPANNER_DATA_SCOPE]);
}

/** Finds the statement named in the path; unknown names are 404 before anything runs. */
export const resolveStatement: TargetResolver = (event, config) => {
  const { statement, name } = findStatement(event, config);
  return { target: name, policy: statement.policy };
};

function findStatement(
  event: GatewayEvent,
  config: GatewayConfig,
): { name: string; statement: SpannerStatementConfig } {
  const name = event.pathParameters?.query ?? '';
  const statements = config.spanner?.statements ?? {};
  const statement = Object.hasOwn(statements, name) ? statements[name] : undefined;
  if (!statement) throw new NotFoundError(`no Spanner statement named "${name}"`);
  return { name, statement };
}

/**
 * `POST /spanner/{query}`: runs the named statement from config with the caller's typed
 * parameters. Body `{"params": {...}}`; answers `{"columns","rows","truncated"}` for reads and
 * `{"rowCount"}` for writes.
 */
export function createSpannerHandler(options: SpannerHandlerOptions = {}) {
  const authClient = options.authClient ?? spannerAuthClient;
  const database =
    options.database ??
    (async (config: GatewayConfig) => {
      if (!config.spanner) throw new ConfigurationError('config has no spanner section');
      return (await containerSpanner(config.spanner, () => authClient(config))).database;
    });

  return gatewayHandler(
    async (event: GatewayEvent, context: GatewayContext, { config }) => {
      const { name, statement } = findStatement(event, config);
      const spannerConfig = config.spanner;
      if (!spannerConfig) throw new ConfigurationError('config has no spanner section');
      const given = readStatementParams(event);
      const bound = bindParams(statement.params, given, spannerConfig.dialect);
      const tag = spannerTag(name, context.crossgate.correlation.correlationId);
      const paramNames = Object.keys(statement.params);
      const audit: Record<string, unknown> = {
        statement: name,
        mode: statement.mode,
        params: paramNames,
        requestTag: tag,
        ...(statement.mode === 'write' ? { transactionTag: tag } : {}),
        ...(statement.auditParamValues ? { paramValues: given } : {}),
      };
      context.crossgate.audit.spanner = audit;

      const deadlineMs =
        invocationDeadline(
          context,
          statement.timeoutMs ?? spannerConfig.timeoutMs,
          RESPONSE_MARGIN_MS,
        ) - Date.now();
      if (deadlineMs <= 0) throw new GatewayTimeoutError('no time left to run the statement');
      const run = {
        database: await database(config),
        name,
        statement,
        bound,
        tag,
        deadlineMs,
      };
      if (statement.mode === 'read') {
        const result = await runRead(run);
        audit.rowCount = result.rows.length;
        audit.truncated = result.truncated;
        return jsonResponse(200, result);
      }
      const result = await runWrite(run);
      audit.rowCount = result.rowCount;
      return jsonResponse(200, result);
    },
    { route: SPANNER_ROUTE, resolveTarget: resolveStatement, dependencies: options.dependencies },
  );
}
