export { startStack, repoRoot, CONTROL_SERVICES, type Stack, type StackOptions } from "./stack.js";
export { ensureNats, natsReachable, findNatsServer, NATS_INSTALL_HELP, type LocalNats } from "./nats-supervisor.js";
export { startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from "./service-process.js";
export { formatLine } from "./log-format.js";
