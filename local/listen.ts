/** Moved to local/stand-in/listen.ts; kept so tests outside local/ keep their import. */
export { listenOn, type ListeningServer } from './stand-in/listen';
