import { type Bus, type ServedService, ServicePrefix, serveService } from "@weir/bus";
import type { PrefixIndex } from "@weir/kv-index";
import { KvCacheService } from "@weir/proto";
import type { Logger } from "@weir/runtime";
import type { KvMetrics } from "./kv-metrics.js";
import type { WarmUp } from "./warm-up.js";

/** Blocks are 16 tokens, the vLLM default; workers and gateway hash with the same size. */
export const KV_BLOCK_SIZE = 16;

export interface KvCacheEndpoint {
  /** Joins the queue group (once; later calls and calls after stop() do nothing). */
  serve(): void;
  /** Answering requests now. */
  readonly serving: boolean;
  /** Leaves the queue group and waits for the requests in flight. */
  stop(): Promise<void>;
}

/**
 * KvCacheService (weir.kv.match, weir.kv.warm) over this replica's index, in
 * the queue group every replica joins. It is joined only when serve() is
 * called — once the index has caught up — because a NATS queue group hands
 * requests to any subscriber, ready or not: a readiness probe cannot keep
 * traffic away from a replica that is still replaying.
 */
export function kvCacheEndpoint(opts: {
  bus: Bus;
  index: PrefixIndex;
  warmUp: WarmUp;
  metrics: KvMetrics;
  log: Logger;
  /** For the log line when serving starts. */
  position: () => bigint;
}): KvCacheEndpoint {
  const { index, metrics } = opts;
  let served: Promise<ServedService> | undefined;
  let serving: ServedService | undefined;
  let stopped = false;
  return {
    serve() {
      if (stopped || served) return;
      served = serveService(opts.bus, {
        name: "weir-kv-cache-manager",
        version: "0.2.0",
        description: "Global prefix index: longest cached prefix per instance",
        subjectPrefix: ServicePrefix.kv,
        service: KvCacheService,
        handlers: {
          match: (req) => {
            metrics.matchRequests.inc();
            const started = performance.now();
            const matches = index.match(req.tier, req.blockHashes);
            metrics.matchSeconds.observe((performance.now() - started) / 1000);
            return { matches, blockSize: KV_BLOCK_SIZE };
          },
          warm: (req) => opts.warmUp.handle(req),
        },
      });
      served.then(
        (svc) => {
          serving = svc;
          opts.log.info({ streamSequence: opts.position().toString() }, "KV index caught up: serving matches");
        },
        (err: unknown) => opts.log.error({ err }, "KvCacheService could not be served"),
      );
    },
    get serving() {
      return serving !== undefined;
    },
    async stop() {
      stopped = true;
      await (await served?.catch(() => undefined))?.stop();
    },
  };
}
