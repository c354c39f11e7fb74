import { create } from "@bufbuild/protobuf";
import type { InstanceDirectory } from "@weir/bus";
import { WorkerHeartbeatSchema, type WorkerHeartbeat } from "@weir/proto";

export interface WorkerLoadInit {
  running?: number;
  waiting?: number;
  maxConcurrency?: number;
  maxWaiting?: number;
}

/**
 * A worker as the scheduler sees it: heartbeats put into the instance
 * directory every intervalMs, with a load the test sets. No gRPC server.
 */
export class FakeWorker {
  #sequence = 0n;
  #timer: NodeJS.Timeout | undefined;
  #load: WorkerLoadInit;
  /** Date.now() when the last put was acknowledged. */
  lastPutAt = 0;

  constructor(
    private readonly directory: InstanceDirectory,
    readonly instanceId: string,
    readonly tier: string,
    load: WorkerLoadInit = {},
  ) {
    this.#load = load;
  }

  /** Puts one heartbeat now, then one every intervalMs. */
  async start(intervalMs: number): Promise<void> {
    await this.beat();
    // A beat that fails (NATS restarting, the test closing) is simply missed, as a real worker's is.
    this.#timer = setInterval(() => void this.beat().catch(() => undefined), intervalMs);
  }

  /** Changes the load and reports it at once. */
  async setLoad(load: WorkerLoadInit): Promise<void> {
    this.#load = load;
    await this.beat();
  }

  /** Stops heartbeating without a word, as a crashed worker does. */
  silence(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Leaves cleanly: stops heartbeating and deletes its key. */
  async leave(): Promise<void> {
    this.silence();
    await this.directory.remove(this.tier, this.instanceId);
  }

  async beat(): Promise<void> {
    await this.directory.put(this.heartbeat());
    this.lastPutAt = Date.now();
  }

  heartbeat(): WorkerHeartbeat {
    return create(WorkerHeartbeatSchema, {
      instanceId: this.instanceId,
      tier: this.tier,
      model: "m",
      engine: "placeholder",
      address: `${this.instanceId}.test:1`,
      load: { running: 0, waiting: 0, maxConcurrency: 4, kvUsage: 0, ...this.#load },
      timestampMs: BigInt(Date.now()),
      sequence: ++this.#sequence,
    });
  }
}
