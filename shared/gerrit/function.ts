import { createGerritHandler } from './handler';

/** The `gerrit` Lambda function (functions/gerrit/handler.ts). */
export const handler = createGerritHandler();
