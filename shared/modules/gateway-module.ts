import type { CoreConfig } from '../config/schema';
import type { PolicyTarget } from '../policy/catalog';

/**
 * A backend of the gateway (Cloud Run, Spanner, Gerrit) as the core sees it: light enough that
 * /me can list every backend's targets without loading any backend's clients, schema or checks.
 * The handlers, clients and config schema live beside it in the module's folder and are
 * reached through the module's own function (functions/<functionName>/handler.ts).
 */
export interface GatewayModule<Key extends string = string> {
  /** The key of the module's section in config/crossgate.json, e.g. `cloudRun`. */
  readonly configKey: Key;
  /** The Lambda function that serves the module's routes (functions/<functionName>/handler.ts). */
  readonly functionName: string;
  /** API Gateway route keys the module serves, e.g. `POST /spanner/{query}`. */
  readonly routes: readonly string[];
  /**
   * What /me lists for this module: each route and target with its policy. Reads only the
   * policies of the raw, not yet interpolated section, so /me needs neither the section's
   * environment variables nor its full validation.
   */
  catalog(rawSection: unknown): PolicyTarget[];
}

/** The config a module's function sees: the core, and its own section validated. */
export type ModuleConfig<Key extends string, Section> = CoreConfig & Record<Key, Section>;
