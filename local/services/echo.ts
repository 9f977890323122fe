import { startEchoService } from '../echo/echo-service';
import { LOCAL_HOST } from '../ports';
import type { LocalService } from './types';

/** The sample Cloud Run service `echo`: verifies Google ID tokens, answers with what it got. */
export const echoService: LocalService = {
  name: 'echo',
  async start({ ports, state, lambdaEnv }) {
    const google = state.google as { certsUrl: string } | undefined;
    if (!google) throw new Error('echo needs the Google stand-in to be started first');
    const url = `http://${LOCAL_HOST}:${ports.echo}`;
    const echo = await startEchoService({
      host: LOCAL_HOST,
      port: ports.echo,
      audiences: [url],
      certsUrl: google.certsUrl,
    });
    state.echo = { url: echo.url };
    lambdaEnv.CROSSGATE_ECHO_URL = echo.url;
    return { summary: [`Cloud Run sample service (echo)   ${echo.url}`], stop: echo.close };
  },
};
