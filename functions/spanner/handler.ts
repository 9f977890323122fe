import { createSpannerHandler } from './spanner';

export const handler = createSpannerHandler();
