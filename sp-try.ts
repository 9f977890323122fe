import { spannerService } from './local/services/spanner';
import { resolvePorts } from './local/ports';
const state: any = { ports: resolvePorts() };
const t = Date.now();
const s = await spannerService.start({ ports: state.ports, state, lambdaEnv: {}, verbose: false });
console.log(s.summary, Date.now() - t);
await s.stop();
