import { json, type GerritHandler } from './context';

/** The Gerrit release the stand-in speaks for (its REST docs are the reference). */
export const GERRIT_VERSION = '3.10.3';

/** Get Version: a JSON string; `?verbose` gives VersionInfo. */
export const getVersion: GerritHandler = (request) =>
  json(
    request.query.has('verbose')
      ? { gerrit_version: GERRIT_VERSION, note_db_version: 185 }
      : GERRIT_VERSION,
  );
