import { createSpannerHandler } from './handler';

/** The `spanner` Lambda function (functions/spanner/handler.ts). */
export const handler = createSpannerHandler();
