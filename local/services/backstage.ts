import { startBackstageStandIn, backstageUsers } from '../backstage/backstage-stand-in';
import { LOCAL_HOST } from '../ports';
import type { BackstageState, LocalService } from './types';

/** The Backstage-format issuer (ES256 user tokens with `ent` claims), for the Backstage identity path. */
export const backstageService: LocalService = {
  name: 'backstage',
  async start({ ports, state, lambdaEnv }) {
    const backstage = await startBackstageStandIn({ host: LOCAL_HOST, port: ports.backstage });
    const facts: BackstageState = {
      issuer: backstage.issuer,
      jwksUri: backstage.jwksUri,
      usersUrl: `${backstage.url}/__stand-in/users`,
      users: backstageUsers,
    };
    state.backstage = facts;
    Object.assign(lambdaEnv, {
      CROSSGATE_BACKSTAGE_ISSUER: backstage.issuer,
      CROSSGATE_BACKSTAGE_JWKS_URI: backstage.jwksUri,
    });
    return {
      summary: [
        `Backstage issuer (stand-in)       ${backstage.issuer}  (users ${Object.keys(backstageUsers).join(', ')})`,
      ],
      stop: backstage.close,
    };
  },
};
