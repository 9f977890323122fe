import { containerCoreConfig } from '../config/compiled-document';
import { fetchEmbeddedJwks } from './embedded-jwks-fetch';

/**
 * Package-time entry (deploy/embedded-jwks-plugin.mjs runs it with tsx): reads the core config
 * from the environment serverless resolved for the stage, fetches every issuer's JWKS, writes
 * the document to stdout and what it skipped to stderr. Never part of a Lambda bundle.
 */
const { document, skipped } = await fetchEmbeddedJwks(containerCoreConfig());
for (const { issuer, reason } of skipped) {
  process.stderr.write(`embedded JWKS: ${issuer} skipped (${reason})\n`);
}
process.stdout.write(JSON.stringify(document));
