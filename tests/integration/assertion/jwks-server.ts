import { createServer } from 'node:http';
import { listenOn, type ListeningServer } from '../../../local/listen';
import { LOCAL_HOST } from '../../../local/ports';
import { jwksResponseHeaders, publicJwks } from '../../../shared/assertion/jwks';
import type { AssertionKeySet } from '../../../shared/assertion/key-set';

/**
 * What the gateway's `GET /.well-known/jwks.json` will serve (publicJwks + jwksResponseHeaders),
 * on a loopback port of its own until the route exists. The key set is read per request, so a
 * test rotates keys by changing what `keySet()` returns.
 */
export interface JwksServer extends ListeningServer {
  jwksUrl: string;
  /** JWKS documents served so far. */
  fetches: () => number;
}

export async function startJwksServer(keySet: () => AssertionKeySet): Promise<JwksServer> {
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    response.writeHead(200, jwksResponseHeaders());
    response.end(JSON.stringify(publicJwks(keySet())));
  });
  const listening = await listenOn(server, LOCAL_HOST, 0);
  return {
    ...listening,
    jwksUrl: `${listening.url}/.well-known/jwks.json`,
    fetches: () => fetches,
  };
}
