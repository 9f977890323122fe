import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  FaultSwitch,
  listenOn,
  readBody,
  Router,
  sendJson,
  sendText,
  sendXssiJson,
  StandInError,
} from '../stand-in';
import { authenticate, runAs } from './auth';
import { inspectionRouter, isLoopback, type StandInRequest } from './inspection';
import { SERVICE_ACCOUNT, type GerritData } from './model';
import { gerritRoutes } from './routes';
import type { GerritHandler } from './routes/context';
import { seedData } from './seed';

export type { StandInRequest } from './inspection';

/**
 * A Gerrit stand-in that speaks Gerrit's REST dialect (Documentation/rest-api*.txt):
 * `/a/` with HTTP Basic (401 + WWW-Authenticate without it), `)]}'` before JSON, plain-text
 * errors, `X-Gerrit-RunAs` with RunAsFilter's checks and messages, Gerrit's label
 * permissions and submit rule. It records who really voted and submitted.
 *
 * The endpoints are a route table (routes/index.ts). Loopback-only inspection and fault
 * switches live under `/__stand-in/` (inspection.ts); the gateway never calls them.
 */

export interface GerritStandIn {
  url: string;
  port: number;
  /** The service account crossgate uses; its password goes into the Secrets Manager secret. */
  serviceAccount: { username: string; password: string };
  data: GerritData;
  close: () => Promise<void>;
}

export interface GerritStandInOptions {
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  /** The service account's HTTP password; random by default. */
  servicePassword?: string;
}

/** Requests kept for inspection; older ones are dropped. */
const MAX_LOG = 2000;

export async function startGerritStandIn(
  options: GerritStandInOptions = {},
): Promise<GerritStandIn> {
  const host = options.host ?? '127.0.0.1';
  const servicePassword = options.servicePassword ?? randomBytes(18).toString('base64url');
  const data = seedData(servicePassword);
  const log: StandInRequest[] = [];
  const faults = new FaultSwitch();
  const router = new Router<GerritHandler>(gerritRoutes);
  let baseUrl = '';

  async function inspect(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!isLoopback(req)) return sendText(res, 403, 'inspection is loopback only');
    const body = await readBody(req);
    const match = inspectionRouter.match(req.method ?? 'GET', path);
    if (!match.handler) return sendText(res, 404, 'Not Found');
    const input = body.trim() === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    const result = match.handler({ data, log, faults }, match.params, input);
    sendJson(res, result.status ?? 200, result.value);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    // Match on the raw path: an encoded slash in an id stays inside its segment.
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (rawPath.startsWith('/__stand-in/')) {
      await inspect(req, res, rawPath.slice('/__stand-in'.length));
      return;
    }
    const method = req.method ?? 'GET';
    const entry: StandInRequest = {
      method,
      url: req.url ?? '/',
      user: null,
      runAs: headerValue(req, 'x-gerrit-runas'),
      effective: null,
      status: 0,
      correlationId: headerValue(req, 'x-correlation-id'),
    };
    log.push(entry);
    if (log.length > MAX_LOG) log.shift();
    res.on('finish', () => (entry.status = res.statusCode));
    if (await faults.apply(req, res, url.pathname)) return;

    const body = await readBody(req);
    const authenticated = rawPath.startsWith('/a/');
    const real = authenticated ? authenticate(data, req) : undefined;
    entry.user = real?.username ?? null;
    const user = runAs(data, req, real);
    entry.effective = user?.username ?? null;
    const match = router.match(method, authenticated ? rawPath.slice(2) : rawPath);
    if (!match.handler) {
      // Gerrit: an unknown view is 404; a method no view takes at all is 405.
      const known = ['GET', 'POST', 'PUT', 'DELETE'].includes(method);
      throw new StandInError(known ? 404 : 405, known ? 'Not Found' : 'Method Not Allowed');
    }
    const reply = await match.handler({
      req,
      method,
      params: match.params,
      query: url.searchParams,
      body,
      user,
      real,
      data,
      baseUrl,
    });
    if ('json' in reply) sendXssiJson(res, reply.status ?? 200, reply.json);
    else sendText(res, reply.status ?? 200, reply.text, reply.headers);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof StandInError) sendText(res, error.status, error.message, error.headers);
      else sendText(res, 500, `internal error: ${String(error)}`);
    });
  });

  const listening = await listenOn(server, host, options.port, 'gerrit');
  baseUrl = listening.url;
  return {
    url: listening.url,
    port: listening.port,
    serviceAccount: { username: SERVICE_ACCOUNT, password: servicePassword },
    data,
    close: async () => {
      faults.clear();
      await listening.close();
    },
  };
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
