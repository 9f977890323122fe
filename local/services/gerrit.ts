import { startGerritStandIn } from '../gerrit/server';
import { LOCAL_HOST } from '../ports';
import { GERRIT_SECRET_ID, seedGerritSecret } from '../seed/gerrit-secret';
import type { LocalService } from './types';

/** The Gerrit stand-in, and its service account's credentials seeded into Secrets Manager. */
export const gerritService: LocalService = {
  name: 'gerrit',
  async start({ ports, state, lambdaEnv }) {
    if (!state.moto) throw new Error('gerrit needs moto to be started first');
    const gerrit = await startGerritStandIn({ host: LOCAL_HOST, port: ports.gerrit });
    try {
      await seedGerritSecret(state.moto.endpoint, state.moto.region, gerrit.serviceAccount);
    } catch (error) {
      await gerrit.close();
      throw error;
    }
    state.gerrit = {
      url: gerrit.url,
      secretId: GERRIT_SECRET_ID,
      serviceAccount: gerrit.serviceAccount.username,
      inspectUrl: `${gerrit.url}/__stand-in`,
    };
    Object.assign(lambdaEnv, {
      CROSSGATE_GERRIT_URL: gerrit.url,
      CROSSGATE_GERRIT_SECRET_ID: GERRIT_SECRET_ID,
    });
    return {
      summary: [
        `Gerrit stand-in                   ${gerrit.url}  (service account ${gerrit.serviceAccount.username})`,
      ],
      stop: gerrit.close,
    };
  },
};
