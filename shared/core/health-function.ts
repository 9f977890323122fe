import { createHealthHandler } from './health';

/** The `health` Lambda function (functions/health/handler.ts). */
export const handler = createHealthHandler();
