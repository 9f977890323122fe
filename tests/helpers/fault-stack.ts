import { resolvePorts } from '../../local/ports';
import { startStack, type RunningStack } from '../../local/stack';
import { localServices } from '../../local/services/index';
import type { LocalService, StackState } from '../../local/services/types';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

export interface FaultStackOptions {
  /**
   * Added to CROSSGATE_PORT_OFFSET (20000 here by default, the shared test stack's) so the
   * dedicated stack never meets the shared test stack or `npm start`. Each suite or bench that
   * starts one picks its own.
   */
  portShift: number;
  /** Secrets TTL of the functions: short, so a test can outwait it. */
  secretsTtlSeconds?: number;
  verbose?: boolean;
}

export interface FaultStack {
  state: StackState;
  /** Between the functions and moto's Secrets Manager (Cognito tokens still go to moto). */
  secrets: FaultProxy;
  /** Between the spanner function and the Spanner emulator. */
  spanner: FaultProxy;
  stop: () => Promise<void>;
}

/**
 * A whole offline stack of its own (moto, issuers, Google, echo, Gerrit, Spanner, serverless
 * offline), for suites that switch dependencies off: the shared test stack and the files that
 * use it never see those faults. The functions reach Secrets Manager and Spanner through fault
 * proxies; the other dependencies have fault switches of their own (Google `/__admin/faults`,
 * Gerrit `/__stand-in/faults`, echo's `/hang`).
 */
export async function startFaultStack(options: FaultStackOptions): Promise<FaultStack> {
  // Below Linux's ephemeral range (32768 and up): at 30000 + 1700, CI found the Gerrit
  // stand-in's port (36110) taken by a client socket of another test.
  const base = Number(process.env.CROSSGATE_PORT_OFFSET ?? 20000);
  const ports = resolvePorts({ CROSSGATE_PORT_OFFSET: String(base + options.portShift) });
  const proxies: FaultProxy[] = [];
  const proxy: { secrets?: FaultProxy; spanner?: FaultProxy } = {};

  // Runs just before serverless offline: the functions get the proxies' addresses.
  const interpose: LocalService = {
    name: 'fault-proxies',
    async start({ state, lambdaEnv }) {
      const moto = new URL(state.moto?.endpoint ?? '');
      const emulator = (state.spanner as { emulatorHost: string } | undefined)?.emulatorHost;
      if (!emulator) throw new Error('fault proxies need moto and Spanner started first');
      const [spannerHost, spannerPort] = emulator.split(':');
      proxy.secrets = await startFaultProxy({ host: moto.hostname, port: Number(moto.port) });
      proxies.push(proxy.secrets);
      proxy.spanner = await startFaultProxy({ host: spannerHost ?? '', port: Number(spannerPort) });
      proxies.push(proxy.spanner);
      lambdaEnv.CROSSGATE_AWS_ENDPOINT = proxy.secrets.url;
      lambdaEnv.CROSSGATE_SPANNER_EMULATOR_HOST = proxy.spanner.host;
      lambdaEnv.CROSSGATE_SECRETS_TTL_SECONDS = String(options.secretsTtlSeconds ?? 3);
      return {
        summary: [`fault proxies: secrets ${proxy.secrets.url}, spanner ${proxy.spanner.host}`],
        stop: async () => {
          await Promise.all(proxies.map((each) => each.close()));
        },
      };
    },
  };
  const services = [...localServices];
  services.splice(services.length - 1, 0, interpose);

  const stack: RunningStack = await startStack({
    ports,
    services,
    stateFile: `.local/stack-faults-${ports.gateway}.json`,
    verbose: options.verbose ?? process.env.CROSSGATE_VERBOSE === '1',
  });
  if (!proxy.secrets || !proxy.spanner) {
    await stack.stop();
    throw new Error('fault proxies did not start');
  }
  return { state: stack.state, secrets: proxy.secrets, spanner: proxy.spanner, stop: stack.stop };
}

/** Where the stand-ins of a stack publish their admin switches. */
export function faultSwitches(state: StackState): { googleAdmin: string; gerrit: string } {
  const google = state.google as { adminUrl: string } | undefined;
  const gerrit = state.gerrit as { url: string } | undefined;
  if (!google || !gerrit) throw new Error('the Google and Gerrit stand-ins are not running');
  return { googleAdmin: google.adminUrl, gerrit: gerrit.url };
}
