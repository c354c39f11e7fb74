// Several simulated instances on one virtual clock: a discrete-event loop
// with no timers. Requests arrive at given times on given instances (or on
// the one a placement policy picks at arrival, seeing every instance's live
// state); each instance steps as its own engine would, and time jumps from
// one event to the next. The same seed gives the same run, bit for bit.
//
// Optionally, running requests migrate (CascadeInfer's length groups): a
// placement may give a request a context bound; when its context (prompt +
// tokens so far) passes it, the `migrate` hook may name another instance,
// and the request moves there by recompute: it is aborted where it runs and
// a continuation (prompt = prompt + tokens so far, output = what is left)
// arrives on the new instance at once. The request keeps its arrival and
// first-token times; its result counts the migrations.

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
  /** Times it moved to another instance by recompute (0 without a `migrate` hook). */
  migrations: number;
}

/** A request at the moment it arrives, as a placement policy sees it. */
export interface ArrivingRequest {
  spec: SimRequestSpec;
  /** Its prompt's chained block hashes at the cluster's block size. */
  blockHashes: readonly bigint[];
}

/** An instance for a request, with the context bound past which the cluster asks `migrate` about it. */
export interface PlacementChoice {
  instance: number;
  /** Context length (prompt + generated tokens) past which `migrate` is asked; absent = never. */
  migrateAbove?: number;
}

/** Picks the instance (index) for a request at its arrival time. */
export type Placement = (req: ArrivingRequest, instances: readonly EngineCore[], nowMs: number) => number | PlacementChoice;

/** A running request whose context passed its placement's migrateAbove bound. */
export interface MigratingRequest {
  /** The request as first submitted. */
  spec: SimRequestSpec;
  /** Index of the instance it runs on now. */
  from: number;
  /** Prompt + tokens generated so far. */
  contextTokens: number;
  generatedTokens: number;
  /** Chained hashes of the continuation's prompt (the original prompt's, as far as they are known). */
  blockHashes: readonly bigint[];
}

/**
 * Where a running request that outgrew its bound should go: an instance
 * (≠ from, with its own next bound), or undefined to stay and never be
 * asked again.
 */
export type MigrationHook = (req: MigratingRequest, instances: readonly EngineCore[], nowMs: number) => number | PlacementChoice | undefined;

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
  /** Asked when a request's context passes its placement's migrateAbove; unset = no migration. */
  migrate?: MigrationHook;
}

const ARRIVAL = 0;
const STEP_END = 1;

interface ArrivalEvent {
  kind: typeof ARRIVAL;
  spec: SimRequestSpec;
  target: number | Placement | PlacementChoice;
  /** Set on a migration's continuation: the request's life so far. */
  lineage?: Lineage;
}

/**
 * What a request that can migrate carries across instances (as its
 * SimRequest.tag): its original spec and times, and the tokens and
 * preemptions of its earlier legs.
 */
interface Lineage {
  spec: SimRequestSpec;
  migrateAbove: number;
  arrivalMs: number;
  firstScheduledMs: number;
  firstTokenMs: number;
  /** Tokens generated on earlier legs (the current leg's prompt includes them). */
  generatedBefore: number;
  cachedPromptTokens: number;
  preemptionsBefore: number;
  migrations: number;
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
    let choice: number | PlacementChoice;
    let spec = e.spec;
    if (typeof e.target === "function") {
      const blockHashes = promptBlockHashes(spec, this.blockSize);
      spec = { ...spec, blockHashes };
      choice = e.target({ spec, blockHashes }, this.instances, nowMs);
    } else {
      choice = e.target;
    }
    const index = this.#checkIndex(typeof choice === "number" ? choice : choice.instance, spec.id);
    const core = this.instances[index]!;
    const req = core.createRequest(spec);
    const migrateAbove = typeof choice === "number" ? undefined : choice.migrateAbove;
    if (e.lineage !== undefined) {
      e.lineage.migrateAbove = migrateAbove ?? Number.POSITIVE_INFINITY;
      req.tag = e.lineage;
    } else if (migrateAbove !== undefined && this.#options.migrate !== undefined) {
      const lineage: Lineage = {
        spec,
        migrateAbove,
        arrivalMs: nowMs,
        firstScheduledMs: -1,
        firstTokenMs: -1,
        generatedBefore: 0,
        cachedPromptTokens: -1,
        preemptionsBefore: 0,
        migrations: 0,
      };
      req.tag = lineage;
    }
    core.add(req, nowMs);
    if (!core.busy) this.#startStep(index, nowMs);
  }

  #checkIndex(index: number, id: string): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.instances.length) {
      throw new RangeError(`placement returned ${index} for request ${id}: not an instance index`);
    }
    return index;
  }

  /**
   * Moves a running request whose context passed its bound, if the hook
   * names another instance: abort here, continuation there (an arrival now,
   * processed after the step being finished).
   */
  #maybeMigrate(req: SimRequest, lineage: Lineage, instance: number, nowMs: number): void {
    const hook = this.#options.migrate!;
    const generatedTokens = lineage.generatedBefore + req.generated;
    const contextTokens = req.promptTokens + req.generated;
    const blockHashes = promptBlockHashes(lineage.spec, this.blockSize);
    const answer = hook({ spec: lineage.spec, from: instance, contextTokens, generatedTokens, blockHashes }, this.instances, nowMs);
    if (answer === undefined) {
      lineage.migrateAbove = Number.POSITIVE_INFINITY;
      return;
    }
    const to = this.#checkIndex(typeof answer === "number" ? answer : answer.instance, req.id);
    if (to === instance) {
      lineage.migrateAbove = typeof answer === "number" ? Number.POSITIVE_INFINITY : (answer.migrateAbove ?? Number.POSITIVE_INFINITY);
      return;
    }
    // Record this leg before it goes: first-leg times, cache hits, preemptions.
    if (lineage.firstScheduledMs < 0) lineage.firstScheduledMs = req.firstScheduledMs;
    if (lineage.firstTokenMs < 0) lineage.firstTokenMs = req.firstTokenMs;
    if (lineage.cachedPromptTokens < 0) lineage.cachedPromptTokens = Math.max(0, req.cachedPromptTokens);
    lineage.preemptionsBefore += req.preemptions;
    lineage.generatedBefore = generatedTokens;
    lineage.migrations++;
    this.instances[instance]!.abort(req);

    const original = lineage.spec;
    const base = { id: original.id, promptTokens: contextTokens, outputTokens: original.outputTokens - generatedTokens };
    // With token ids the continuation's whole chain is known (decode blocks included); else the prompt's.
    const continuation: SimRequestSpec =
      original.promptTokenIds !== undefined && original.outputTokenIds !== undefined
        ? {
            ...base,
            promptTokenIds: [...Array.from(original.promptTokenIds), ...Array.from(original.outputTokenIds).slice(0, generatedTokens)],
            outputTokenIds: Array.from(original.outputTokenIds).slice(generatedTokens),
          }
        : { ...base, blockHashes };
    const target: PlacementChoice = typeof answer === "number" ? { instance: to } : { ...answer, instance: to };
    this.#queue.push(nowMs, { kind: ARRIVAL, spec: continuation, target, lineage });
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
        const lineage = req.tag as Lineage | undefined;
        const index = lineage === undefined ? req.generated : lineage.generatedBefore + req.generated;
        if (index === 1) onFirstToken?.(req.id, nowMs, instance);
        onToken?.(req.id, index, nowMs, instance);
        if (
          lineage !== undefined &&
          req.promptTokens + req.generated > lineage.migrateAbove &&
          req.generated < req.outputTokens
        ) {
          this.#maybeMigrate(req, lineage, instance, nowMs);
        }
      },
      onFinish: (req: SimRequest, nowMs: number) => {
        this.#inFlight--;
        if (!this.#keepResults && o.onComplete === undefined) return;
        const result = resultOf(req, instance, nowMs, req.tag as Lineage | undefined);
        if (this.#keepResults) this.results.push(result);
        o.onComplete?.(result);
      },
    };
  }
}

/** A finished request's result; with a lineage, over its whole life across migrations. */
function resultOf(req: SimRequest, instance: number, finishMs: number, lineage?: Lineage): RequestResult {
  const moved = lineage !== undefined && lineage.migrations > 0;
  const arrivalMs = moved ? lineage.arrivalMs : req.arrivalMs;
  const firstTokenMs = moved ? lineage.firstTokenMs : req.firstTokenMs;
  const firstScheduledMs = moved ? lineage.firstScheduledMs : req.firstScheduledMs;
  const outputTokens = moved ? lineage.generatedBefore + req.generated : req.generated;
  const ttftMs = firstTokenMs - arrivalMs;
  const e2eMs = finishMs - arrivalMs;
  return {
    id: req.id,
    instance,
    arrivalMs,
    firstTokenMs,
    finishMs,
    ttftMs,
    tpotMs: outputTokens > 1 ? (e2eMs - ttftMs) / (outputTokens - 1) : 0,
    e2eMs,
    queueMs: firstScheduledMs - arrivalMs,
    promptTokens: moved ? lineage.spec.promptTokens : req.promptTokens,
    outputTokens,
    cachedPromptTokens: moved ? lineage.cachedPromptTokens : Math.max(0, req.cachedPromptTokens),
    preemptions: moved ? lineage.preemptionsBefore + req.preemptions : req.preemptions,
    migrations: moved ? lineage.migrations : 0,
  };
}
