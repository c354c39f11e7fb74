// One tier's traffic on identical replicas, in virtual time. This is
// VirtualCluster's event loop in miniature, without the KV index, events and
// migration the planner does not need (it runs thousands of these per plan,
// so it drives EngineCore itself). Placement is
// join-the-shortest-queue over requests in flight (ties take turns): what
// Weir's least-loaded scheduler does for identical replicas, counted here so
// it does not depend on EngineCore.load()'s shape.

import { EngineCore, EventQueue, type InstanceConfig, type SimRequest } from "@weir/sim";
import type { TimedSpec } from "@weir/sim";

/** Per-request latencies in the order requests finished, plus what was refused. */
export interface ReplicaRun {
  /** Requests given (served + refused). */
  requests: number;
  /** Prompt + output beyond a replica's context or KV cache: a server answers 400. */
  refused: number;
  ttftMs: number[];
  e2eMs: number[];
  /** Mean time per output token after the first; 0 for one-token outputs. */
  tpotMs: number[];
  outputTokens: number;
  /** First arrival to last finish, ms of virtual time. */
  spanMs: number;
}

type LoopEvent = { kind: "arrival"; index: number } | { kind: "step-end"; replica: number };

export function simulateReplicas(configs: readonly InstanceConfig[], specs: readonly TimedSpec[]): ReplicaRun {
  if (configs.length === 0) throw new RangeError("simulateReplicas needs at least one replica");
  const run: ReplicaRun = { requests: specs.length, refused: 0, ttftMs: [], e2eMs: [], tpotMs: [], outputTokens: 0, spanMs: 0 };
  const inFlight = new Array<number>(configs.length).fill(0);
  let firstArrival = Number.POSITIVE_INFINITY;
  let lastFinish = 0;
  const cores = configs.map(
    (config, replica) =>
      new EngineCore(config, {
        onToken: () => {},
        onFinish: (req: SimRequest, nowMs: number) => {
          inFlight[replica]!--;
          const ttft = req.firstTokenMs - req.arrivalMs;
          const e2e = nowMs - req.arrivalMs;
          run.ttftMs.push(ttft);
          run.e2eMs.push(e2e);
          run.tpotMs.push(req.generated > 1 ? (e2e - ttft) / (req.generated - 1) : 0);
          run.outputTokens += req.generated;
          lastFinish = Math.max(lastFinish, nowMs);
        },
      }),
  );
  const maxLen = Math.min(...cores.map((c) => c.config.maxModelLen));
  const queue = new EventQueue<LoopEvent>();
  const stepEnds: LoopEvent[] = cores.map((_, replica) => ({ kind: "step-end", replica }));
  const startStep = (replica: number, nowMs: number): void => {
    const ms = cores[replica]!.startStep(nowMs);
    if (ms !== undefined) queue.push(nowMs + ms, stepEnds[replica]!);
  };
  // Arrivals are queued one at a time, in order, so the queue stays small.
  const order = specs.map((_, i) => i).sort((a, b) => specs[a]!.arrivalMs - specs[b]!.arrivalMs);
  let next = 0;
  const queueNextArrival = (): void => {
    if (next < order.length) queue.push(Math.max(queue.now, specs[order[next]!]!.arrivalMs), { kind: "arrival", index: order[next++]! });
  };
  queueNextArrival();
  let turn = 0;
  for (let e = queue.pop(); e !== undefined; e = queue.pop()) {
    const now = queue.now;
    if (e.kind === "step-end") {
      cores[e.replica]!.finishStep(now);
      startStep(e.replica, now);
      continue;
    }
    queueNextArrival();
    const { spec } = specs[e.index]!;
    if (spec.promptTokens + spec.outputTokens > maxLen) {
      run.refused++;
      continue;
    }
    firstArrival = Math.min(firstArrival, now);
    const replica = shortestQueue(inFlight, turn++);
    const core = cores[replica]!;
    core.add(core.createRequest(spec), now);
    inFlight[replica]!++;
    if (!core.busy) startStep(replica, now);
  }
  run.spanMs = lastFinish > firstArrival ? lastFinish - firstArrival : 0;
  return run;
}

/** The replica with the fewest requests in flight; among equals, the turn picks (round-robin). */
function shortestQueue(inFlight: readonly number[], turn: number): number {
  const least = Math.min(...inFlight);
  const tied: number[] = [];
  inFlight.forEach((n, i) => {
    if (n === least) tied.push(i);
  });
  return tied[turn % tied.length]!;
}
