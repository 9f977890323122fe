import { createRunHandler } from './run';

export const handler = createRunHandler();
