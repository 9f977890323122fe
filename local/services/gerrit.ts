import { startGerritStandIn } from '../gerrit/server';
import { LOCAL_HOST } from '../ports';
import { GERRIT_SECRET_ID, seedGerritSecret } from '../seed/gerrit-secret';
import { MOTO_CREDENTIALS } from './moto';
import type { LocalService } from './types';

/** The Gerrit stand-in, and its service account's credentials seeded into Secrets Manager. */
export const gerritService: LocalService = {
  name: 'gerrit',
  async start({ ports, state, lambdaEnv }) {
    const moto = state.moto;
    if (!moto) throw new Error('gerrit needs moto to be started first');
    const gerrit = await startGerritStandIn({ host: LOCAL_HOST, port: ports.gerrit });
    try {
      await seedGerritSecret(moto.endpoint, moto.region, gerrit.serviceAccount);
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
        // How to read the service account's password, as the gateway does (moto takes any keys).
        `  its password: AWS_ACCESS_KEY_ID=${MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY=${MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY} aws --endpoint-url ${moto.endpoint} --region ${moto.region} secretsmanager get-secret-value --secret-id ${GERRIT_SECRET_ID} --query SecretString --output text`,
      ],
      stop: gerrit.close,
    };
  },
};
