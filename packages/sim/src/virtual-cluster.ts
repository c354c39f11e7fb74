// Several simulated instances on one virtual clock: a discrete-event loop
// with no timers. Requests arrive at given times on given instances (or on
// the one a placement policy picks at arrival, seeing every instance's live
// state); each instance steps as its own engine would, and time jumps from
// one event to the next. The same seed gives the same run, bit for bit.

import { EngineCore, type EngineCoreListener } from "./engine-core.js";
import { EventQueue } from "./event-queue.js";
import { type SimInstanceOptions, resolveInstanceConfig } from "./instance-config.js";
import { mixSeed } from "./random.js";
import { type SimRequest, type SimRequestSpec, promptBlockHashes } from "./sim-request.js";

/** What happened to one request, in ms of virtual time. */
export interface RequestResult {
  id: string;
  /** Index of the instance that served it. */
  instance: number;
  arrivalMs: number;
  firstTokenMs: number;
  finishMs: number;
  /** Time to first token. */
  ttftMs: number;
  /** Mean time per output token after the first: (e2e − ttft) / (outputTokens − 1); 0 for one token. */
  tpotMs: number;
  e2eMs: number;
  /** Arrival to first scheduled. */
  queueMs: number;
  promptTokens: number;
  outputTokens: number;
  cachedPromptTokens: number;
  preemptions: number;
}

/** A request at the moment it arrives, as a placement policy sees it. */
export interface ArrivingRequest {
  spec: SimRequestSpec;
  /** Its prompt's chained block hashes at the cluster's block size. */
  blockHashes: readonly bigint[];
}

/** Picks the instance (index) for a request at its arrival time. */
export type Placement = (req: ArrivingRequest, instances: readonly EngineCore[], nowMs: number) => number;

export interface VirtualClusterOptions {
  /** One entry per instance; all must share one block size. */
  instances: readonly SimInstanceOptions[];
  /** Base seed: instance i's jitter seed is mixSeed(seed, i) unless its options set one. Default 0. */
  seed?: number;
  /** Keep a RequestResult per finished request in `results`. Default true. */
  keepResults?: boolean;
  onFirstToken?: (id: string, nowMs: number, instance: number) => void;
  /** Every token, the first included (index is 1-based). Costs a call per token: leave unset for speed. */
  onToken?: (id: string, index: number, nowMs: number, instance: number) => void;
  onComplete?: (result: RequestResult) => void;
}

const ARRIVAL = 0;
const STEP_END = 1;

interface ArrivalEvent {
  kind: typeof ARRIVAL;
  spec: SimRequestSpec;
  target: number | Placement;
}

interface StepEndEvent {
  kind: typeof STEP_END;
  instance: number;
}

type ClusterEvent = ArrivalEvent | StepEndEvent;

export class VirtualCluster {
  readonly instances: readonly EngineCore[];
  readonly results: RequestResult[] = [];
  readonly blockSize: number;
  readonly #queue = new EventQueue<ClusterEvent>();
  readonly #stepEnds: StepEndEvent[];
  readonly #options: VirtualClusterOptions;
  readonly #keepResults: boolean;
  #inFlight = 0;

  constructor(options: VirtualClusterOptions) {
    if (options.instances.length === 0) throw new RangeError("a VirtualCluster needs at least one instance");
    this.#options = options;
    this.#keepResults = options.keepResults ?? true;
    const seed = options.seed ?? 0;
    this.instances = options.instances.map((o, i) => {
      const config = resolveInstanceConfig({ ...o, seed: o.seed ?? mixSeed(seed, i) });
      return new EngineCore(config, this.#listenerFor(i));
    });
    this.blockSize = this.instances[0]!.config.blockSize;
    if (this.instances.some((c) => c.config.blockSize !== this.blockSize)) {
      throw new RangeError("every instance of a VirtualCluster must use the same blockSize");
    }
    this.#stepEnds = this.instances.map((_, i) => ({ kind: STEP_END, instance: i }));
  }

  /** The virtual clock: the time of the event being (or last) processed, in ms. */
  get now(): number {
    return this.#queue.now;
  }

  /** Requests submitted and not yet finished. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * A request arriving at `atMs` (≥ now) on instance `target`, or on the
   * instance a placement policy picks then. May be called from callbacks
   * during run() (e.g. the next turn of a conversation after this one ends).
   */
  submit(spec: SimRequestSpec, atMs: number, target: number | Placement): void {
    if (typeof target === "number" && (target < 0 || target >= this.instances.length || !Number.isInteger(target))) {
      throw new RangeError(`no instance ${target}: the cluster has ${this.instances.length}`);
    }
    this.#queue.push(atMs, { kind: ARRIVAL, spec, target });
    this.#inFlight++;
  }

  /** Processes events until none are left (or the next one is after `untilMs`). */
  run(untilMs = Number.POSITIVE_INFINITY): void {
    const queue = this.#queue;
    for (;;) {
      const t = queue.peekTime();
      if (t === undefined || t > untilMs) return;
      const e = queue.pop()!;
      if (e.kind === STEP_END) {
        const core = this.instances[e.instance]!;
        core.finishStep(t);
        this.#startStep(e.instance, t);
      } else {
        this.#arrive(e, t);
      }
    }
  }

  #arrive(e: ArrivalEvent, nowMs: number): void {
    let index: number;
    let spec = e.spec;
    if (typeof e.target === "number") {
      index = e.target;
    } else {
      const blockHashes = promptBlockHashes(spec, this.blockSize);
      spec = { ...spec, blockHashes };
      index = e.target({ spec, blockHashes }, this.instances, nowMs);
      if (!Number.isInteger(index) || index < 0 || index >= this.instances.length) {
        throw new RangeError(`placement returned ${index} for request ${spec.id}: not an instance index`);
      }
    }
    const core = this.instances[index]!;
    const req = core.createRequest(spec);
    core.add(req, nowMs);
    if (!core.busy) this.#startStep(index, nowMs);
  }

  #startStep(index: number, nowMs: number): void {
    const ms = this.instances[index]!.startStep(nowMs);
    if (ms !== undefined) this.#queue.push(nowMs + ms, this.#stepEnds[index]!);
  }

  #listenerFor(instance: number): EngineCoreListener {
    const o = this.#options;
    const onToken = o.onToken;
    const onFirstToken = o.onFirstToken;
    return {
      onToken: (req: SimRequest, nowMs: number) => {
        if (req.generated === 1) onFirstToken?.(req.id, nowMs, instance);
        onToken?.(req.id, req.generated, nowMs, instance);
      },
      onFinish: (req: SimRequest, nowMs: number) => {
        this.#inFlight--;
        if (!this.#keepResults && o.onComplete === undefined) return;
        const result = resultOf(req, instance, nowMs);
        if (this.#keepResults) this.results.push(result);
        o.onComplete?.(result);
      },
    };
  }
}

function resultOf(req: SimRequest, instance: number, finishMs: number): RequestResult {
  const ttftMs = req.firstTokenMs - req.arrivalMs;
  const e2eMs = finishMs - req.arrivalMs;
  return {
    id: req.id,
    instance,
    arrivalMs: req.arrivalMs,
    firstTokenMs: req.firstTokenMs,
    finishMs,
    ttftMs,
    tpotMs: req.generated > 1 ? (e2eMs - ttftMs) / (req.generated - 1) : 0,
    e2eMs,
    queueMs: req.firstScheduledMs - req.arrivalMs,
    promptTokens: req.promptTokens,
    outputTokens: req.generated,
    cachedPromptTokens: Math.max(0, req.cachedPromptTokens),
    preemptions: req.preemptions,
  };
}
