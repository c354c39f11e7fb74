import { describe, expect, it } from "vitest";
import { freeIds, reconcileWorkers, type SupervisedWorker } from "./worker-reconcile.js";

const w = (id: string, preset: string | undefined, state: SupervisedWorker["state"] = "ready"): SupervisedWorker => ({
  id,
  tier: id.replace(/-\d+$/, ""),
  preset,
  state,
});
const SMALL = "llama-3.1-8b/h100";
const X4 = "llama-3.1-70b/h100x4";
const X8 = "llama-3.1-70b/h100x8";

describe("reconcileWorkers", () => {
  it("starts every replica of an empty stack with ids <tier>-1, <tier>-2, …", () => {
    const a = reconcileWorkers(
      [
        { tier: "small", preset: SMALL, replicas: 2 },
        { tier: "large", preset: X8, replicas: 1 },
      ],
      [],
    );
    expect(a.start).toEqual([
      { id: "small-1", tier: "small", preset: SMALL },
      { id: "small-2", tier: "small", preset: SMALL },
      { id: "large-1", tier: "large", preset: X8 },
    ]);
    expect(a.stop).toEqual([]);
  });

  it("does nothing when the workers already match", () => {
    const a = reconcileWorkers([{ tier: "small", preset: SMALL, replicas: 2 }], [w("small-1", SMALL), w("small-2", SMALL, "starting")]);
    expect(a).toEqual({ start: [], stop: [] });
  });

  it("scales down by stopping the highest numbers at once, ready workers kept before starting ones", () => {
    const a = reconcileWorkers(
      [{ tier: "small", preset: SMALL, replicas: 1 }],
      [w("small-1", SMALL, "starting"), w("small-2", SMALL), w("small-3", SMALL)],
    );
    expect(a.start).toEqual([]);
    expect(a.stop).toEqual([
      { id: "small-3", tier: "small", when: "now" },
      { id: "small-1", tier: "small", when: "now" },
    ]);
  });

  it("scales up reusing freed numbers, never an id still held by a stopping worker", () => {
    const a = reconcileWorkers(
      [{ tier: "small", preset: SMALL, replicas: 3 }],
      [w("small-2", SMALL), w("small-1", SMALL, "stopping"), w("small-4", SMALL)],
    );
    expect(a.start).toEqual([{ id: "small-3", tier: "small", preset: SMALL }]);
    expect(a.stop).toEqual([]);
  });

  it("replaces a worker whose preset changed: the new one starts, the old one stops only after", () => {
    const a = reconcileWorkers([{ tier: "large", preset: X8, replicas: 1 }], [w("large-1", X4)]);
    expect(a.start).toEqual([{ id: "large-2", tier: "large", preset: X8 }]);
    expect(a.stop).toEqual([{ id: "large-1", tier: "large", when: "after-start" }]);
  });

  it("stops stale workers at once when the new preset already has its replicas", () => {
    const a = reconcileWorkers([{ tier: "large", preset: X8, replicas: 1 }], [w("large-1", X4), w("large-2", X8)]);
    expect(a).toEqual({ start: [], stop: [{ id: "large-1", tier: "large", when: "now" }] });
  });

  it("a tier planned down to 0 stops every worker at once", () => {
    const a = reconcileWorkers([{ tier: "large", preset: X8, replicas: 0 }], [w("large-1", X4), w("large-2", X8)]);
    expect(a.start).toEqual([]);
    expect(a.stop.map((s) => [s.id, s.when])).toEqual([
      ["large-2", "now"],
      ["large-1", "now"],
    ]);
  });

  it("leaves tiers the desired state does not name alone; undefined preset is the configured engine", () => {
    const a = reconcileWorkers([{ tier: "small", preset: undefined, replicas: 1 }], [w("small-1", undefined), w("large-1", X8)]);
    expect(a).toEqual({ start: [], stop: [] });
  });
});

describe("freeIds", () => {
  it("fills gaps first", () => {
    expect(freeIds("t", new Set(["t-1", "t-3"]), 3)).toEqual(["t-2", "t-4", "t-5"]);
    expect(freeIds("t", new Set(), 0)).toEqual([]);
  });
});
