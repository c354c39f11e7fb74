import { create } from "@bufbuild/protobuf";
import { ServicePrefix, Subjects, createServiceClient, serveService, subscribeProto } from "@weir/bus";
import { InstanceRegistry, createLeastLoadedPolicy, noInstanceError } from "@weir/placement";
import { KvCacheService, PlacementSchema, SchedulerService, WorkerHeartbeatSchema, type PlaceRequest } from "@weir/proto";
import type { ServiceContext, StartedService } from "@weir/service-kit";
import { trace } from "@opentelemetry/api";
import { Counter, Gauge } from "prom-client";

/** How long placement waits for the KV index before placing without it. */
const KV_MATCH_TIMEOUT_MS = 50;

/**
 * The scheduler: a live view of every worker from its heartbeats, and one
 * placement per generation. Policy: least-loaded over live heartbeats (the
 * platform's simplest honest policy), with cached prefix blocks from the
 * kv-cache-manager as the tie-break; the placement issue adds prefix-aware
 * and length-aware policies and a registry shared through a NATS KV bucket.
 */
export async function startScheduler(ctx: ServiceContext): Promise<StartedService> {
  const registry = new InstanceRegistry({ expireAfterMs: ctx.config.scheduler.heartbeatTimeoutMs });
  const policy = createLeastLoadedPolicy();
  const kv = createServiceClient(ctx.bus, KvCacheService, ServicePrefix.kv, { timeoutMs: KV_MATCH_TIMEOUT_MS });

  const placements = new Counter({
    name: "weir_scheduler_placements_total",
    help: "Placements made, by tier and outcome.",
    labelNames: ["tier", "outcome"],
    registers: [ctx.registry],
  });
  new Gauge({
    name: "weir_scheduler_live_instances",
    help: "Instances with a recent heartbeat, by tier.",
    labelNames: ["tier"],
    registers: [ctx.registry],
    collect() {
      this.reset();
      for (const tier of registry.tiers()) this.set({ tier }, registry.live(tier).length);
    },
  });

  const heartbeats = subscribeProto(ctx.bus, Subjects.heartbeatAll, WorkerHeartbeatSchema, (hb) => registry.upsert(hb), {
    onError: (err: unknown) => ctx.log.warn({ err }, "bad heartbeat"),
  });
  const expiry = setInterval(() => registry.expire(), Math.max(100, ctx.config.scheduler.heartbeatTimeoutMs / 4));
  expiry.unref();

  /** Cached prefix blocks per instance, or an empty map when the index is slow or absent. */
  async function cachedBlocks(req: PlaceRequest): Promise<{ byInstance: Map<string, number>; blockSize: number }> {
    const byInstance = new Map<string, number>();
    if (req.blockHashes.length === 0) return { byInstance, blockSize: 0 };
    try {
      const res = await kv.match({ tier: req.tier, blockHashes: req.blockHashes });
      for (const m of res.matches) byInstance.set(m.instanceId, m.matchedBlocks);
      return { byInstance, blockSize: res.blockSize };
    } catch (err) {
      trace.getActiveSpan()?.addEvent("kv match skipped", { reason: String(err) });
      return { byInstance, blockSize: 0 };
    }
  }

  const svc = await serveService(ctx.bus, {
    name: "weir-scheduler",
    version: "0.1.0",
    description: "Places each generation on one instance",
    subjectPrefix: ServicePrefix.scheduler,
    service: SchedulerService,
    handlers: {
      place: async (req) => {
        const live = registry.live(req.tier);
        if (live.length === 0) {
          placements.inc({ tier: req.tier, outcome: "no_instance" });
          throw noInstanceError(req.tier, ctx.config.scheduler.heartbeatTimeoutMs);
        }
        // The KV index only matters when there is a choice to make: with one
        // live instance, skip the extra hop.
        const cached = live.length > 1 && req.blockHashes.length > 0 ? await cachedBlocks(req) : undefined;
        const chosen = policy.pick(live, {
          exclude: req.excludeInstanceIds,
          ...(cached ? { cachedBlocks: cached.byInstance } : {}),
        });
        if (!chosen) {
          placements.inc({ tier: req.tier, outcome: "no_instance" });
          throw noInstanceError(req.tier, ctx.config.scheduler.heartbeatTimeoutMs);
        }
        registry.notePlaced(chosen.instanceId);
        placements.inc({ tier: req.tier, outcome: "placed" });
        const blocks = cached?.byInstance.get(chosen.instanceId) ?? 0;
        return {
          placement: create(PlacementSchema, {
            instanceId: chosen.instanceId,
            tier: chosen.tier,
            address: chosen.address,
            cachedPrefixTokens: blocks * (cached?.blockSize ?? 0),
            policy: "least-loaded",
            reason: `least loaded of ${live.length} live instance(s) (running ${chosen.running}, waiting ${chosen.waiting})`,
          }),
        };
      },
    },
  });

  return {
    info: {},
    async stop() {
      clearInterval(expiry);
      heartbeats.unsubscribe();
      await svc.stop();
    },
  };
}
