import { createHealthHandler } from './health';

export const handler = createHealthHandler();
