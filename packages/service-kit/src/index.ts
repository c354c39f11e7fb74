export { runService, type ServiceContext, type ServiceDefinition, type StartedService } from "./run-service.js";
