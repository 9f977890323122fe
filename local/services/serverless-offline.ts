import { fileURLToPath } from 'node:url';
import { writeCompiledConfig } from '../../shared/modules/compiled-config-file';
import { startProcess, waitForHttp } from '../child-process';
import { handlerModules, warmTranspileCache } from './transpile-cache';
import { LOCAL_HOST } from '../ports';
import type { LocalService } from './types';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * serverless offline (osls, serverless-offline): API Gateway's HTTP API and the Lambda runtime.
 * Last to start, because the functions' environment is the URLs of everything else.
 *
 * Requests go through the edge Lambda REQUEST authorizer as in AWS (functions/authorizer; no
 * `noAuth`), then the functions verify the token again themselves.
 */
export function createServerlessOfflineService(
  options: { configFile?: string } = {},
): LocalService {
  return {
    name: 'serverless-offline',
    async start({ ports, state, lambdaEnv, verbose }) {
      // The functions load the compiled config (shared/config/compiled-document.ts): compile it
      // now against the functions' environment, so that a bad config stops the start here,
      // naming the key, as packaging does.
      if (writeCompiledConfig({ ...process.env, ...lambdaEnv })) {
        process.stderr.write('config: wrote config/crossgate.compiled.json\n');
      }
      const configFiles = ['serverless.yml', ...(options.configFile ? [options.configFile] : [])];
      await warmTranspileCache({
        root: projectRoot,
        modules: handlerModules(projectRoot, configFiles),
        env: { ...process.env, ...lambdaEnv },
      });
      const osls = fileURLToPath(
        new URL('../../node_modules/osls/bin/serverless.js', import.meta.url),
      );
      const child = startProcess(
        'serverless-offline',
        process.execPath,
        [
          osls,
          'offline',
          'start',
          '--stage',
          'dev',
          ...(options.configFile ? ['--config', options.configFile] : []),
          '--host',
          LOCAL_HOST,
          '--httpPort',
          String(ports.gateway),
          '--lambdaPort',
          String(ports.lambda),
        ],
        {
          cwd: projectRoot,
          echo: verbose,
          env: {
            ...process.env,
            ...lambdaEnv,
            SLS_TELEMETRY_DISABLED: '1',
            SLS_NOTIFICATIONS_MODE: 'off',
          },
        },
      );
      const gatewayUrl = `http://${LOCAL_HOST}:${ports.gateway}`;
      try {
        await waitForHttp(`${gatewayUrl}/health`, 90_000, child);
        // The sample services fetch the gateway's JWKS on their first assertion; loading that
        // worker now keeps a slow first start out of the first /run request's deadline.
        await waitForHttp(`${gatewayUrl}/.well-known/jwks.json`, 90_000, child);
      } catch (error) {
        // The stack only stops services that started; this one did not, so stop its process
        // here, or serverless offline outlives the failed start and holds the ports.
        await child.stop();
        throw error;
      }
      state.gatewayUrl = gatewayUrl;
      return {
        summary: [
          `gateway (serverless offline)     http://localhost:${ports.gateway}  pid ${child.pid}`,
        ],
        stop: child.stop,
      };
    },
  };
}

export const serverlessOfflineService = createServerlessOfflineService();
