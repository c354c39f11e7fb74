export { createLogger, traceFields, type Logger, type LoggerOptions } from "./logger.js";
export { startOpsServer, type MetricsSource, type OpsServer, type OpsServerOptions } from "./ops-server.js";
export { onShutdown, type ShutdownOptions } from "./on-shutdown.js";
export { announceReady, READY_MARKER } from "./announce-ready.js";
export { type ChildService, type ChildServiceOptions, spawnChildService } from "./child-service.js";
export { PARENT_PID_ENV, type ParentWatchOptions, watchParent } from "./parent-watch.js";
