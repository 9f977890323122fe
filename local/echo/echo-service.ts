import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOn } from '../stand-in/listen';
import { OAuth2Client } from 'google-auth-library';
import { assertionChecker, type AssertionCheckOptions } from './assertion-check';

/**
 * A sample Cloud Run service on loopback. Like Cloud Run with IAM, it refuses requests
 * without a valid Google ID token for its audience: verified with google-auth-library's
 * OAuth2Client (signature, issuer, expiry, audience) against the Google stand-in's keys.
 *
 * It answers with what it received, so tests see exactly what crossgate forwarded:
 *   any path                 200 JSON: method, path, query, headers, body digest, token claims
 *   /status/{code}           that status (HTML body for 5xx, as a crashing server would)
 *   /flaky/{key}?failures=n  503 for the first n requests per key, then 200 with the count
 *   /hang                    never answers (until the client gives up)
 *   /bytes/{n}               n bytes of application/octet-stream
 *   /mirror                  the request body back, with its content type
 *   /headers                 200 with extra headers (set-cookie, x-internal-*) to be dropped
 * `GET /__admin/flaky/{key}` (no token) tells how often a flaky key was called, and
 * `GET /__admin/last-credentials` the raw ID token and assertion of the last request that
 * passed both checks (loopback only: tests replay them to prove another service refuses).
 *
 * With `assertion` set it also requires crossgate's signed caller assertion
 * (`x-crossgate-assertion`), verified against the gateway's JWKS, and answers 401 JSON
 * `{error: "invalid_assertion", reason}` without one; the verified claims come back under
 * `assertion`. The Google ID token is checked first, as Cloud Run IAM does before the code runs.
 */

/** Headers the service reports back (never the Authorization value). */
const REPORTED_HEADERS =
  /^(x-crossgate-|x-correlation-id$|traceparent$|tracestate$|content-type$|accept|user-agent$|x-request-id$|cookie$|if-|range$|x-forwarded-|x-evil|connection$)/;

export interface EchoServiceOptions {
  host: string;
  port: number;
  /** Audiences this service accepts (its URL). */
  audiences: string[];
  /** The Google stand-in's PEM keys (`/oauth2/v1/certs`). */
  certsUrl: string;
  /**
   * Where the gateway publishes its assertion keys and which issuer it signs as. When set,
   * every request must carry a valid assertion for one of `audiences`.
   */
  assertion?: Omit<AssertionCheckOptions, 'audiences'>;
}

export interface EchoService {
  url: string;
  close: () => Promise<void>;
}

export async function startEchoService(options: EchoServiceOptions): Promise<EchoService> {
  const verifier = new OAuth2Client({
    endpoints: { oauth2FederatedSignonPemCertsUrl: options.certsUrl },
  });
  const flaky = new Map<string, number>();
  let lastCredentials: { idToken: string; assertion?: string } | undefined;
  const checkAssertion = options.assertion
    ? assertionChecker({ ...options.assertion, audiences: options.audiences })
    : undefined;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://echo.invalid');
    const adminFlaky = /^\/__admin\/flaky\/([\w-]+)$/.exec(url.pathname);
    if (adminFlaky?.[1]) return json(response, 200, { calls: flaky.get(adminFlaky[1]) ?? 0 });
    if (url.pathname === '/__admin/last-credentials') {
      return json(response, lastCredentials ? 200 : 404, lastCredentials ?? {});
    }

    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return html(response, 401, 'Your client does not have permission (no token).');
    let claims: Record<string, unknown>;
    try {
      const ticket = await verifier.verifyIdToken({ idToken: token, audience: options.audiences });
      claims = { ...ticket.getPayload() };
    } catch {
      return html(response, 401, 'Your client does not have permission (invalid token).');
    }
    let assertion: Record<string, unknown> | undefined;
    if (checkAssertion) {
      const header = request.headers['x-crossgate-assertion'];
      const result = await checkAssertion(typeof header === 'string' ? header : undefined);
      if (!result.ok)
        return json(response, 401, { error: 'invalid_assertion', reason: result.reason });
      assertion = { kid: result.kid, claims: result.claims };
    }
    const rawAssertion = request.headers['x-crossgate-assertion'];
    lastCredentials = {
      idToken: token,
      ...(typeof rawAssertion === 'string' ? { assertion: rawAssertion } : {}),
    };

    const body = await readBody(request);
    const path = url.pathname;
    const status = /^\/status\/(\d{3})$/.exec(path);
    if (status?.[1]) {
      const code = Number(status[1]);
      return code >= 500
        ? html(response, code, `<h1>${code}</h1><p>upstream exploded</p>`)
        : json(response, code, { status: code });
    }
    const flakyMatch = /^\/flaky\/([\w-]+)$/.exec(path);
    if (flakyMatch?.[1]) {
      const calls = (flaky.get(flakyMatch[1]) ?? 0) + 1;
      flaky.set(flakyMatch[1], calls);
      if (calls <= Number(url.searchParams.get('failures') ?? 1)) {
        return html(response, 503, '<h1>Service Unavailable</h1>');
      }
      return json(response, 200, { calls });
    }
    if (path === '/hang') return; // The socket stays open until the caller gives up.
    const bytes = /^\/bytes\/(\d+)$/.exec(path);
    if (bytes?.[1]) {
      const size = Math.min(Number(bytes[1]), 20_000_000);
      const payload = Buffer.alloc(size);
      for (let i = 0; i < size; i += 1) payload[i] = i % 251;
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': size,
      });
      return response.end(payload);
    }
    if (path === '/mirror') {
      response.writeHead(200, {
        'content-type': request.headers['content-type'] ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`,
      });
      return response.end(body);
    }
    // The assertion is a credential for this service: reported by its verified claims only.
    const reported = Object.fromEntries(
      Object.entries(request.headers).filter(
        ([name]) => REPORTED_HEADERS.test(name) && name !== 'x-crossgate-assertion',
      ),
    );
    const extra: Record<string, string> =
      path === '/headers'
        ? { 'set-cookie': 'session=abc', 'x-internal-secret': 'do-not-pass', etag: '"v1"' }
        : {};
    return json(
      response,
      200,
      {
        method: request.method,
        path,
        rawPath: (request.url ?? '').split('?')[0],
        query: url.search.slice(1),
        headers: reported,
        authorizationPresent: true,
        body: { bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') },
        idToken: {
          iss: claims.iss,
          aud: claims.aud,
          email: claims.email,
          email_verified: claims.email_verified,
          sub: claims.sub,
          exp: claims.exp,
        },
        ...(assertion ? { assertion } : {}),
      },
      extra,
    );
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) html(response, 500, '<h1>500</h1>');
    });
  });
  const { url, close } = await listenOn(server, options.host, options.port, 'echo');
  return {
    url,
    close,
  };
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

function html(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!doctype html><html><body>${body}</body></html>`);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
