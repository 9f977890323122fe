import { createMeHandler } from './me';

/** The `me` Lambda function (functions/me/handler.ts). */
export const handler = createMeHandler();
