// gRPC for Weir, driven by protobuf-es service descriptors (no second code
// generator): servers, clients, health and W3C trace context on grpc-js.
export { addService, type MethodImpl, type ServiceImpl } from "./add-service.js";
export type { CallContext } from "./call-context.js";
export {
  createClient,
  type CallOptions,
  type Client,
  type ClientOptions,
  type MethodCall,
  type StreamCall,
  type UnaryCall,
} from "./client.js";
export { ClientPool } from "./client-pool.js";
export { addHealthService, type HealthService } from "./health.js";
export { createGrpcServer, listen, shutdown } from "./server.js";
export { methodPath } from "./method-path.js";
export { ERROR_INFO_KEY } from "./status.js";
export type { StreamImpl } from "./stream-handler.js";
export type { UnaryImpl } from "./unary-handler.js";
