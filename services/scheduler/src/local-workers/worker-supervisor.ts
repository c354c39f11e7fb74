// The process half of the local worker supervisor: keeps the model-worker
// children of this scheduler, applies desired states one at a time (the
// latest wins), and stops every child when the scheduler stops.

import type { Logger } from "@weir/runtime";
import { describeDesired } from "./desired-tiers.js";
import { type DesiredTier, type SupervisedWorker, reconcileWorkers } from "./worker-reconcile.js";
import { type ChildService, spawnChildService } from "@weir/runtime";

export interface WorkerSupervisorOptions {
  /** The model-worker's dist/main.js. */
  entry: string;
  /** The environment every worker starts from (the scheduler's own, usually). */
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Each output line of each worker; default: this process's stdout or stderr (the worker's), prefixed with `[<id>] `. */
  onLine?: (id: string, line: string, stream: "stdout" | "stderr") => void;
  readyTimeoutMs?: number;
  /** How long a stopped worker may drain before SIGKILL. */
  stopGraceMs?: number;
}

export interface ApplyOutcome {
  started: string[];
  stopped: string[];
  /** One sentence per worker that did not come up (the rest of the plan still applies). */
  failed: string[];
  /** Old-preset workers kept because no replacement of their tier became ready. */
  keptStale: string[];
  /** A newer desired state arrived before this one was applied; it was skipped. */
  superseded?: true;
}

interface Child {
  worker: SupervisedWorker;
  proc: ChildService;
}

export class WorkerSupervisor {
  private readonly children = new Map<string, Child>();
  private pending: { desired: DesiredTier[]; resolve: (o: ApplyOutcome) => void }[] = [];
  private running = false;
  private closed = false;
  private readonly killAll = () => {
    for (const c of this.children.values()) c.proc.kill();
  };

  constructor(private readonly o: WorkerSupervisorOptions) {
    // Last resort against orphans: whatever way this process exits (a drain
    // that timed out, an uncaught error), no worker outlives it.
    process.once("exit", this.killAll);
  }

  /** The workers started and not yet exited. */
  workers(): SupervisedWorker[] {
    return [...this.children.values()].map((c) => ({ ...c.worker }));
  }

  /** pid of each live worker, by instance id (for logs and tests). */
  pids(): Map<string, number | undefined> {
    return new Map([...this.children].map(([id, c]) => [id, c.proc.pid]));
  }

  /**
   * Makes the workers match `desired`. Applies run one at a time; when several
   * arrive while one runs, only the latest is applied and the others resolve
   * as superseded.
   */
  apply(desired: DesiredTier[]): Promise<ApplyOutcome> {
    if (this.closed) return Promise.resolve({ started: [], stopped: [], failed: ["the supervisor is stopped"], keptStale: [] });
    return new Promise((resolve) => {
      for (const p of this.pending) p.resolve({ started: [], stopped: [], failed: [], keptStale: [], superseded: true });
      this.pending = [{ desired, resolve }];
      if (!this.running) void this.drainQueue();
    });
  }

  private async drainQueue(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.pending.shift(); next !== undefined && !this.closed; next = this.pending.shift()) {
        next.resolve(await this.applyNow(next.desired));
      }
    } finally {
      this.running = false;
    }
  }

  private async applyNow(desired: DesiredTier[]): Promise<ApplyOutcome> {
    const log = this.o.log;
    const actions = reconcileWorkers(desired, this.workers());
    const outcome: ApplyOutcome = { started: [], stopped: [], failed: [], keptStale: [] };
    if (actions.start.length === 0 && actions.stop.length === 0) {
      log.info(`local workers already match: ${describeDesired(desired)}`);
      return outcome;
    }
    log.info(
      { start: actions.start.map((s) => s.id), stop: actions.stop.map((s) => s.id) },
      `local workers: applying ${describeDesired(desired)}`,
    );
    // Surplus workers go first (their capacity is not wanted); starts run in
    // parallel; replaced workers go only once their tier has a new one ready.
    const stopNow = actions.stop.filter((s) => s.when === "now").map((s) => s.id);
    const results = await Promise.all([this.stopWorkers(stopNow), ...actions.start.map((s) => this.startWorker(s.id, s.tier, s.preset))]);
    outcome.stopped.push(...stopNow);
    for (const [i, r] of results.slice(1).entries()) {
      const id = actions.start[i]!.id;
      if (r === undefined) outcome.started.push(id);
      else outcome.failed.push(r);
    }
    const later: string[] = [];
    for (const s of actions.stop.filter((x) => x.when === "after-start")) {
      const replaced = actions.start.some((n) => n.tier === s.tier && outcome.started.includes(n.id));
      if (replaced) later.push(s.id);
      else {
        outcome.keptStale.push(s.id);
        log.warn(`worker ${s.id} of tier "${s.tier}" keeps running on its old preset: no worker of the new preset became ready`);
      }
    }
    await this.stopWorkers(later);
    outcome.stopped.push(...later);
    log.info(outcome, `local workers: ${outcome.started.length} started, ${outcome.stopped.length} stopped, ${outcome.failed.length} failed`);
    return outcome;
  }

  /** Starts one worker and waits for WEIR_READY; returns undefined, or the sentence saying why it did not come up. */
  private async startWorker(id: string, tier: string, preset: string | undefined): Promise<string | undefined> {
    const env: NodeJS.ProcessEnv = workerEnv(this.o.env, id, tier, preset);
    const onLine = this.o.onLine ?? ((wid: string, line: string, stream: "stdout" | "stderr") => process[stream].write(`[${wid}] ${line}\n`));
    const proc = spawnChildService({ id, entry: this.o.entry, env, onLine, readyTimeoutMs: this.o.readyTimeoutMs ?? 30_000 });
    const worker: SupervisedWorker = { id, tier, preset, state: "starting" };
    this.children.set(id, { worker, proc });
    this.o.log.info({ instanceId: id, tier, preset, workerPid: proc.pid }, `starting worker ${id} (pid ${String(proc.pid)})`);
    void proc.exited.then((code) => {
      this.children.delete(id);
      if (worker.state === "ready") {
        // Not restarted on purpose: a crashing preset would loop. The next plan starts it again.
        this.o.log.error({ instanceId: id, code }, `worker ${id} exited unexpectedly with code ${String(code)}; the next plan starts it again`);
      }
    });
    try {
      await proc.ready;
      if (worker.state === "starting") worker.state = "ready";
      this.o.log.info({ instanceId: id, tier, workerPid: proc.pid }, `worker ${id} is ready`);
      return undefined;
    } catch (err) {
      this.children.delete(id);
      proc.kill();
      const why = `worker ${id} of tier "${tier}" on preset ${preset ?? "(configured)"} did not start: ${err instanceof Error ? err.message : String(err)}`;
      this.o.log.error({ instanceId: id, tier, preset }, why);
      return why;
    }
  }

  private async stopWorkers(ids: readonly string[]): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        const c = this.children.get(id);
        if (c === undefined) return;
        c.worker.state = "stopping";
        this.o.log.info({ instanceId: id, workerPid: c.proc.pid }, `stopping worker ${id}`);
        const code = await c.proc.stop(this.o.stopGraceMs ?? 10_000);
        this.children.delete(id);
        this.o.log.info({ instanceId: id, code }, `worker ${id} stopped (exit code ${String(code)})`);
      }),
    );
  }

  /** Stops every worker (SIGTERM, SIGKILL after the grace) and refuses further applies. */
  async stop(): Promise<void> {
    this.closed = true;
    for (const p of this.pending) p.resolve({ started: [], stopped: [], failed: [], keptStale: [], superseded: true });
    this.pending = [];
    await this.stopWorkers([...this.children.keys()]);
    process.removeListener("exit", this.killAll);
  }
}

/**
 * A worker's environment: the scheduler's, minus the ports that only one
 * process may bind, plus its tier, instance id and (for a planned preset)
 * the override WEIR__tiers__<tier>__engineOptions__preset that the config
 * loader applies like any other.
 */
export function workerEnv(base: NodeJS.ProcessEnv, id: string, tier: string, preset: string | undefined): NodeJS.ProcessEnv {
  const presetVar = `WEIR__tiers__${tier}__engineOptions__preset`;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (k === "WEIR_OPS_PORT" || k === "WEIR_WORKER_PORT" || k === "WEIR_WORKER_ADVERTISE") continue;
    // Env overrides match case-insensitively: drop any spelling of the preset variable.
    if (preset !== undefined && k.toLowerCase() === presetVar.toLowerCase()) continue;
    env[k] = v;
  }
  env.OTEL_SERVICE_NAME = "model-worker";
  env.WEIR_TIER = tier;
  env.WEIR_INSTANCE_ID = id;
  if (preset !== undefined) env[presetVar] = preset;
  return env;
}
