import { fileURLToPath } from 'node:url';
import { GrpcClient, grpc } from 'google-gax';
import { LOCAL_HOST } from '../../local/ports';

/** One RPC the Spanner client sent, as the emulator received it (decoded request). */
export interface RecordedCall {
  method: string;
  request: Record<string, unknown>;
}

export interface SpannerProxy {
  /** `host:port` to give the client instead of the emulator's. */
  host: string;
  calls: RecordedCall[];
  count: (method: string) => number;
  close: () => Promise<void>;
}

const protosDir = fileURLToPath(
  new URL('../../node_modules/@google-cloud/spanner-api/build/protos', import.meta.url),
);

/**
 * A gRPC pass-through in front of the emulator that records every Spanner API request:
 * what the client really puts on the wire (tags, sessions created), observed without
 * touching the client. Every call is forwarded with its metadata, answers and errors
 * come back unchanged.
 */
export async function startSpannerProxy(emulatorHost: string): Promise<SpannerProxy> {
  const loaded = new GrpcClient().loadProto(protosDir, 'google/spanner/v1/spanner.proto') as {
    google: { spanner: { v1: { Spanner: grpc.ServiceClientConstructor } } };
  };
  const ServiceClient = loaded.google.spanner.v1.Spanner;
  const upstream = new ServiceClient(
    emulatorHost,
    grpc.credentials.createInsecure(),
  ) as unknown as Record<string, (...args: unknown[]) => grpc.ClientReadableStream<unknown>>;
  const calls: RecordedCall[] = [];
  const implementation: grpc.UntypedServiceImplementation = {};

  for (const [name, definition] of Object.entries(ServiceClient.service)) {
    if (definition.requestStream) continue; // Spanner has no client-streaming methods.
    const method = name.charAt(0).toLowerCase() + name.slice(1);
    if (definition.responseStream) {
      implementation[name] = (
        call: grpc.ServerWritableStream<Record<string, unknown>, unknown>,
      ) => {
        calls.push({ method, request: call.request });
        const stream = upstream[method]?.(call.request, call.metadata);
        if (!stream) throw new Error(`no upstream method ${method}`);
        call.on('cancelled', () => stream.cancel());
        stream.on('data', (message) => call.write(message));
        stream.on('end', () => call.end());
        stream.on('error', (error) => call.emit('error', error));
      };
    } else {
      implementation[name] = (
        call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        calls.push({ method, request: call.request });
        upstream[method]?.(
          call.request,
          call.metadata,
          (error: grpc.ServiceError | null, response: unknown) => callback(error, response),
        );
      };
    }
  }

  const server = new grpc.Server();
  server.addService(ServiceClient.service, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${LOCAL_HOST}:0`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    host: `${LOCAL_HOST}:${port}`,
    calls,
    count: (method) => calls.filter((call) => call.method === method).length,
    close: () =>
      new Promise<void>((resolve) => {
        (upstream as unknown as grpc.Client).close();
        server.tryShutdown(() => resolve());
      }),
  };
}
