import type * as grpc from "@grpc/grpc-js";
import { HealthImplementation, type ServingStatusMap } from "grpc-health-check";

export interface HealthService {
  /** Sets one service's status; "" is the server as a whole (what probes ask by default). */
  setServing(service: string, serving: boolean): void;
}

/**
 * Serves the standard grpc.health.v1.Health service (Check, Watch, List), so
 * grpc_health_probe, Kubernetes and load balancers can ask. The server ("")
 * and every named service start SERVING: the caller adds this once its
 * handlers are in place, and says NOT_SERVING when it starts draining.
 */
export function addHealthService(server: grpc.Server, services: readonly string[]): HealthService {
  const initial: ServingStatusMap = { "": "SERVING" };
  for (const name of services) initial[name] = "SERVING";
  const health = new HealthImplementation(initial);
  health.addToServer(server);
  return {
    setServing: (service, serving) => health.setStatus(service, serving ? "SERVING" : "NOT_SERVING"),
  };
}
