import type { InstanceRegistry } from "@weir/placement";
import { Counter, Gauge, type Registry } from "prom-client";
import type { WarmupBudget } from "./warmup-budget.js";

export interface SchedulerMetrics {
  /** One placement request's outcome (placed, full, warmup_over_budget, ...). */
  placements: Counter<"tier" | "policy" | "outcome">;
  /** Placements made without the KV index because it was slow or absent. */
  kvMatchSkipped: Counter;
  /** Length-group plans adopted from other replicas. */
  plansAdopted: Counter<"tier">;
}

/** The scheduler's metrics; gauges read the registry and the warm-up budget at scrape time. */
export function createSchedulerMetrics(
  registry: Registry,
  sources: { instances: InstanceRegistry; warmups: WarmupBudget; tiers: () => string[] },
): SchedulerMetrics {
  new Gauge({
    name: "weir_scheduler_live_instances",
    help: "Placeable instances (recent heartbeat, not draining), by tier.",
    labelNames: ["tier"],
    registers: [registry],
    collect() {
      this.reset();
      for (const tier of sources.instances.tiers()) this.set({ tier }, sources.instances.live(tier).length);
    },
  });
  new Gauge({
    name: "weir_scheduler_warmups_in_flight",
    help: "Warm-up leases held (scheduler.maxWarmupsInFlight bounds them), by tier.",
    labelNames: ["tier"],
    registers: [registry],
    collect() {
      this.reset();
      for (const tier of sources.tiers()) this.set({ tier }, sources.warmups.inFlight(tier));
    },
  });
  return {
    placements: new Counter({
      name: "weir_scheduler_placements_total",
      help: "Placement requests by tier, policy and outcome (placed, no_instance, full; warm-ups: warmup_placed, warmup_over_budget, warmup_no_idle_instance, ...).",
      labelNames: ["tier", "policy", "outcome"],
      registers: [registry],
    }),
    kvMatchSkipped: new Counter({
      name: "weir_scheduler_kv_match_skipped_total",
      help: "Placements made without the KV index because it did not answer within 50 ms.",
      registers: [registry],
    }),
    plansAdopted: new Counter({
      name: "weir_scheduler_length_plans_adopted_total",
      help: "Length-group plans adopted from the shared bucket (computed by another replica), by tier.",
      labelNames: ["tier"],
      registers: [registry],
    }),
  };
}
