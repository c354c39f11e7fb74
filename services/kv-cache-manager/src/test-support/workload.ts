import { type MessageInitShape, create } from "@bufbuild/protobuf";
import { KvEventSchema, type KvEvent } from "@weir/proto";
import { chain } from "./kv-events.js";

/**
 * A reproducible stream of KV events from `instances` workers of one tier:
 * mostly stored blocks (runs of a per-instance chain, some shared between
 * instances), some removed, now and then a cleared cache. Per-instance
 * sequences start at 1 and have no gaps, as the workers publish them.
 */
export class Workload {
  private readonly seq = new Map<string, number>();
  private readonly held = new Map<string, bigint[]>();
  private rand: number;
  private clock = 1_000;

  constructor(
    private readonly instances: string[],
    private readonly tier = "small",
    seed = 7,
  ) {
    this.rand = seed;
  }

  /** The next `n` events. */
  next(n: number): KvEvent[] {
    const out: KvEvent[] = [];
    for (let i = 0; i < n; i++) out.push(this.one());
    return out;
  }

  /**
   * A "stored" event of `instanceId` at sequence 1: a new worker, or one that
   * restarted (its cache was empty and now holds `stored`).
   */
  fromSequenceOne(instanceId: string, stored: bigint[]): KvEvent {
    this.seq.set(instanceId, 0);
    this.held.set(instanceId, [...stored]);
    return this.event(instanceId, { case: "stored", value: { blockHashes: stored, blockSize: 16 } });
  }

  private one(): KvEvent {
    const id = this.instances[this.pick(this.instances.length)] as string;
    const held = this.held.get(id) ?? [];
    const roll = this.pick(100);
    if (roll < 70 || held.length === 0) {
      // A shared "system prompt" chain half the time, else one of the instance's own.
      const salt = this.pick(2) === 0 ? 1n : BigInt(this.pick(1_000) + 10);
      const start = this.pick(8);
      const blocks = chain(start + 1 + this.pick(12), salt).slice(start);
      held.push(...blocks);
      this.held.set(id, held);
      return this.event(id, { case: "stored", value: { blockHashes: blocks, blockSize: 16 } });
    }
    if (roll < 97) {
      const removed = held.splice(0, 1 + this.pick(Math.min(held.length, 6)));
      return this.event(id, { case: "removed", value: { blockHashes: removed } });
    }
    this.held.set(id, []);
    return this.event(id, { case: "cleared", value: {} });
  }

  private event(instanceId: string, body: NonNullable<MessageInitShape<typeof KvEventSchema>["event"]>): KvEvent {
    const sequence = (this.seq.get(instanceId) ?? 0) + 1;
    this.seq.set(instanceId, sequence);
    this.clock += 1 + this.pick(5);
    return create(KvEventSchema, {
      instanceId,
      tier: this.tier,
      sequence: BigInt(sequence),
      timestampMs: BigInt(this.clock),
      event: body,
    });
  }

  private pick(n: number): number {
    this.rand = (this.rand * 1_103_515_245 + 12_345) % 2_147_483_648;
    return this.rand % n;
  }
}
