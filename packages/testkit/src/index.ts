// Test helpers for Weir: real processes, real ports, no mocks.
export { freePort } from "./free-port.js";
export { sleep, waitFor, type WaitForOptions } from "./wait-for.js";
export { startNatsServer, type NatsServerHandle, type StartNatsServerOptions } from "./nats-server.js";
export { startProcess, type ProcessHandle, type StartProcessOptions } from "./process.js";
export { startOtlpReceiver, type OtlpReceiver } from "./otlp-receiver.js";
export type { CollectedSpan, SpanKindName, StatusCodeName } from "./otlp-spans.js";
