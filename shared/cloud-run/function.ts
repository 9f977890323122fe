import { createRunHandler } from './handler';

/** The `run` Lambda function (functions/run/handler.ts). */
export const handler = createRunHandler();
