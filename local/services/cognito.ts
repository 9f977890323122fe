import { seedCognito } from '../seed/cognito';
import type { LocalService } from './types';

/** Seeds the Cognito user pool in moto: alice and bob, their groups and an app client. */
export const cognitoService: LocalService = {
  name: 'cognito',
  async start({ state, lambdaEnv }) {
    if (!state.moto) throw new Error('cognito needs moto to be started first');
    const { userPoolId, clientId, users } = await seedCognito(
      state.moto.endpoint,
      state.moto.region,
    );
    const jwksUri = `${state.moto.endpoint}/${userPoolId}/.well-known/jwks.json`;
    state.cognito = { userPoolId, clientId, jwksUri, users };
    Object.assign(lambdaEnv, {
      CROSSGATE_COGNITO_USER_POOL_ID: userPoolId,
      CROSSGATE_COGNITO_CLIENT_ID: clientId,
      CROSSGATE_COGNITO_JWKS_URI: jwksUri,
    });
    return {
      summary: [`Cognito pool (moto)              ${userPoolId}, app client ${clientId}`],
      stop: async () => {},
    };
  },
};
