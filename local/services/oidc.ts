import { startOidcProvider } from '../oidc/provider';
import { CROSSGATE_AUDIENCE } from '../oidc/machine-clients';
import { LOCAL_HOST } from '../ports';
import type { LocalService } from './types';

/** The second, non-Cognito issuer: machine clients such as ci-bot. */
export const oidcService: LocalService = {
  name: 'oidc',
  async start({ ports, state, lambdaEnv }) {
    const provider = await startOidcProvider(LOCAL_HOST, ports.oidc);
    const jwksUri = `${provider.issuer}/jwks`;
    state.oidc = {
      issuer: provider.issuer,
      tokenEndpoint: `${provider.issuer}/token`,
      jwksUri,
      audience: CROSSGATE_AUDIENCE,
      clients: provider.clients,
    };
    Object.assign(lambdaEnv, {
      CROSSGATE_OIDC_ISSUER: provider.issuer,
      CROSSGATE_OIDC_JWKS_URI: jwksUri,
      CROSSGATE_OIDC_AUDIENCE: CROSSGATE_AUDIENCE,
    });
    return {
      summary: [`OIDC provider (machine clients)  ${provider.issuer}`],
      stop: provider.close,
    };
  },
};
