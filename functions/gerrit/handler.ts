import { createGerritHandler } from './gerrit';

export const handler = createGerritHandler();
