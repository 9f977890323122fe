import { startEchoService, type EchoService } from '../echo/echo-service';
import { LOCAL_HOST } from '../ports';
import type { LocalService } from './types';

/**
 * Two sample Cloud Run services, `echo` and `ledger`: each verifies Google ID tokens and the
 * gateway's signed caller assertion for its own URL, and answers with what it got. Two, so
 * that an assertion made for one can be shown to be refused by the other.
 */
export const echoService: LocalService = {
  name: 'echo',
  async start({ ports, state, lambdaEnv }) {
    const google = state.google as { certsUrl: string } | undefined;
    if (!google) throw new Error('echo needs the Google stand-in to be started first');
    // The gateway's own URL: `iss` of its assertions, and the base of its JWKS route.
    const gatewayUrl = `http://${LOCAL_HOST}:${ports.gateway}`;
    const start = (port: number) => {
      const url = `http://${LOCAL_HOST}:${port}`;
      return startEchoService({
        host: LOCAL_HOST,
        port,
        audiences: [url],
        certsUrl: google.certsUrl,
        assertion: {
          jwksUrl: `${gatewayUrl}/.well-known/jwks.json`,
          issuer: gatewayUrl,
          // jose waits 30 s between refetches on an unknown kid by default; a rotation under
          // test is watched in seconds.
          jwksCooldownMs: 1000,
        },
      });
    };
    const started: EchoService[] = [];
    try {
      started.push(await start(ports.echo), await start(ports.ledger));
    } catch (error) {
      await Promise.all(started.map((service) => service.close()));
      throw error;
    }
    const [echo, ledger] = started as [EchoService, EchoService];
    state.echo = { url: echo.url, ledgerUrl: ledger.url };
    lambdaEnv.CROSSGATE_ECHO_URL = echo.url;
    lambdaEnv.CROSSGATE_LEDGER_URL = ledger.url;
    lambdaEnv.CROSSGATE_ISSUER_URL = gatewayUrl;
    return {
      summary: [
        `Cloud Run sample service (echo)   ${echo.url}`,
        `Cloud Run sample service (ledger) ${ledger.url}`,
      ],
      stop: async () => {
        await Promise.all(started.map((service) => service.close()));
      },
    };
  },
};
