/** The stand-ins' shared kit: listen, body reading, replies, faults and route tables. */
export { readBody, DEFAULT_BODY_LIMIT } from './body';
export { StandInError, DropConnection } from './errors';
export { FaultSwitch, type FaultInput, type FaultMode } from './faults';
export { listenOn, type ListeningServer } from './listen';
export { sendJson, sendText, sendXssiJson, XSSI_PREFIX } from './replies';
export { Router, decodeSegment, type Route, type RouteMatch } from './router';
