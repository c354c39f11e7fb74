export { runService, type ServiceContext, type ServiceDefinition, type StartedService } from "./run-service.js";
export { startServiceInProcess, type InProcessOptions, type InProcessService } from "./start-in-process.js";
