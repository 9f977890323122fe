import http from 'node:http';

/**
 * The baseline for `/run`: a Lambda handler with no gateway at all that makes the one call a
 * forwarder must make, a keep-alive `node:http` GET to the echo service, reads its answer and
 * returns 200. What `/run` costs above this is the gateway's price for a call with a backend;
 * what this costs above `/bare` is serverless offline's (and Node's) for a request that waits
 * for I/O in a worker.
 */
const agent = new http.Agent({ keepAlive: true });
const upstream = `${process.env.CROSSGATE_ECHO_URL ?? ''}/hello`;

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    request.once('error', reject);
  });
}

export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ upstreamStatus: await get(upstream) }),
});
