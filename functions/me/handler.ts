import { createMeHandler } from './me';

export const handler = createMeHandler();
