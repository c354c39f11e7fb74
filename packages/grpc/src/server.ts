import * as grpc from "@grpc/grpc-js";

/** A grpc-js server; options pass through (message size limits, keepalive). */
export function createGrpcServer(opts?: grpc.ServerOptions): grpc.Server {
  return new grpc.Server(opts);
}

/**
 * Binds without TLS (Weir's services talk on a private network) and resolves
 * the bound port, which is the real one when `address` asks for port 0.
 */
export function listen(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err !== null) reject(new Error(`cannot listen for gRPC on ${address}: ${err.message}`, { cause: err }));
      else resolve(port);
    });
  });
}

/** Lets calls in flight finish for up to `graceMs`, then cuts the rest off. */
export function shutdown(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
