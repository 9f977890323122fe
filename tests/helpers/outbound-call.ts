import { outboundCall, withTimeout, type OutboundCall } from '../../shared/http/outbound-call';

/** An outbound call as the chain builds it, for tests that drive a backend client directly. */
export function testCall(
  options: { correlationId?: string; timeoutMs?: number } = {},
): OutboundCall {
  const correlationId = options.correlationId ?? 'corr-test';
  const call = outboundCall({
    correlation: {
      correlationId,
      source: 'header',
      trace: {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        parentId: '00f067aa0ba902b7',
        flags: '01',
      },
    },
  });
  return withTimeout(call, options.timeoutMs ?? 5000);
}
