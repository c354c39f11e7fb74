import { fromBinary } from "@bufbuild/protobuf";
import { jetstream } from "@nats-io/jetstream";
import { KV_EVENTS_STREAM, ServicePrefix, Subjects, ensureStream, serveService } from "@weir/bus";
import { PrefixIndex } from "@weir/kv-index";
import { KvCacheService, KvEventSchema } from "@weir/proto";
import type { ServiceContext, StartedService } from "@weir/service-kit";
import { Counter, Gauge } from "prom-client";

/** Blocks are 16 tokens, the vLLM default; workers and gateway hash with the same size. */
export const KV_BLOCK_SIZE = 16;

/**
 * The kv-cache-manager: a global prefix index built from the workers' KV
 * events. The events go through the JetStream stream WEIR_KV_EVENTS, so
 * nothing is lost while this service restarts: it replays the stream from
 * the start (an ordered consumer) and rebuilds the same index. Issue 6 adds a
 * durable consumer, instance death handling and replicas.
 */
export async function startKvCacheManager(ctx: ServiceContext): Promise<StartedService> {
  const index = new PrefixIndex();
  await ensureStream(ctx.bus, {
    name: KV_EVENTS_STREAM,
    subjects: [Subjects.kvEventsAll],
    maxAgeMs: 60 * 60 * 1000,
  });

  const applied = new Counter({
    name: "weir_kv_events_applied_total",
    help: "KV events applied to the index, by kind.",
    labelNames: ["kind"],
    registers: [ctx.registry],
  });
  new Gauge({
    name: "weir_kv_index_blocks",
    help: "Distinct (instance, block) entries in the prefix index.",
    registers: [ctx.registry],
    collect() {
      this.set(index.stats().blocks);
    },
  });

  const js = jetstream(ctx.bus.nc);
  // Ordered consumer over the whole stream (it holds only KV events): replays from the start.
  const consumer = await js.consumers.get(KV_EVENTS_STREAM);
  const messages = await consumer.consume();
  let caughtUp = false;
  const consuming = (async () => {
    for await (const m of messages) {
      try {
        const event = fromBinary(KvEventSchema, m.data);
        const result = index.apply(event);
        applied.inc({ kind: event.event.case ?? "unknown" });
        if (result.gap) {
          ctx.log.warn({ instance: event.instanceId, ...result.gap }, "gap in KV event sequence");
        }
      } catch (err) {
        ctx.log.warn({ err, seq: m.seq }, "undecodable KV event skipped");
      }
      if (m.info.pending === 0) caughtUp = true;
    }
  })();
  // An empty stream delivers nothing: the index is current from the start.
  const info = await consumer.info(true).catch(() => undefined);
  if (!info || info.num_pending === 0) caughtUp = true;

  const svc = await serveService(ctx.bus, {
    name: "weir-kv-cache-manager",
    version: "0.1.0",
    description: "Global prefix index: longest cached prefix per instance",
    subjectPrefix: ServicePrefix.kv,
    service: KvCacheService,
    handlers: {
      match: (req) => ({ matches: index.match(req.tier, req.blockHashes), blockSize: KV_BLOCK_SIZE }),
      // Replaced by the escalation warm-up (services/kv-cache-manager/src/warm-up.ts).
      warm: () => ({ started: false, reason: "warm-up is not enabled on this kv-cache-manager" }),
    },
  });

  return {
    ready: () => caughtUp,
    async stop() {
      await svc.stop();
      messages.stop();
      await consuming.catch(() => undefined);
    },
  };
}
