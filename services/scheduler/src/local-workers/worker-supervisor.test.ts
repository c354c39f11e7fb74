import { createLogger } from "@weir/runtime";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { WorkerSupervisor, workerEnv } from "./worker-supervisor.js";

const entry = fileURLToPath(new URL("../test-support/fake-worker-process.mjs", import.meta.url));
const SMALL = "llama-3.1-8b/h100";
const X4 = "llama-3.1-70b/h100x4";
const X8 = "llama-3.1-70b/h100x8";

const alive = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("WorkerSupervisor (stand-in worker processes)", () => {
  let sup: WorkerSupervisor | undefined;
  const lines: string[] = [];
  const make = () => {
    sup = new WorkerSupervisor({
      entry,
      env: { ...process.env, WEIR_OPS_PORT: "9999" },
      log: createLogger("test", { level: "silent" }),
      onLine: (id, line) => lines.push(`${id}: ${line}`),
      readyTimeoutMs: 10_000,
      stopGraceMs: 2000,
    });
    return sup;
  };
  afterEach(async () => {
    await sup?.stop();
    lines.length = 0;
  });

  it("starts, scales down, replaces a preset new-first, and leaves no child behind on stop", async () => {
    const s = make();
    const boot = await s.apply([
      { tier: "small", preset: SMALL, replicas: 2 },
      { tier: "large", preset: X4, replicas: 1 },
    ]);
    expect(boot.started.sort()).toEqual(["large-1", "small-1", "small-2"]);
    expect(s.workers().every((w) => w.state === "ready")).toBe(true);
    // Output is forwarded with the worker's id; the WEIR_READY line is protocol, not log.
    expect(lines).toContain("small-1: small-1 serving");
    expect(lines.some((l) => l.includes("WEIR_READY"))).toBe(false);

    const next = await s.apply([
      { tier: "small", preset: SMALL, replicas: 1 },
      { tier: "large", preset: X8, replicas: 1 },
    ]);
    expect(next.started).toEqual(["large-2"]);
    expect(next.stopped.sort()).toEqual(["large-1", "small-2"]);
    // The old large worker drained only after the new one was ready.
    expect(lines.indexOf("large-1: large-1 draining")).toBeGreaterThan(lines.indexOf("large-2: large-2 serving"));
    expect(s.workers().map((w) => `${w.id} ${w.preset}`).sort()).toEqual([`large-2 ${X8}`, `small-1 ${SMALL}`]);

    const pids = [...s.pids().values()];
    expect(pids.every(alive)).toBe(true);
    await s.stop();
    expect(pids.some(alive)).toBe(false);
    expect(s.workers()).toEqual([]);
  });

  it("a preset that cannot start is reported, and the tier keeps its old workers", async () => {
    const s = make();
    await s.apply([{ tier: "large", preset: X4, replicas: 1 }]);
    const out = await s.apply([{ tier: "large", preset: "llama-3.1-70b/broken", replicas: 1 }]);
    expect(out.started).toEqual([]);
    expect(out.failed).toHaveLength(1);
    expect(out.failed[0]).toMatch(/worker large-2 of tier "large" on preset llama-3\.1-70b\/broken did not start: .*exited with code 3.*\n.*unknown preset/s);
    expect(out.keptStale).toEqual(["large-1"]);
    expect(s.workers().map((w) => w.id)).toEqual(["large-1"]);
  });

  it("applies one desired state at a time; of those queued meanwhile only the latest runs", async () => {
    const s = make();
    const first = s.apply([{ tier: "small", preset: SMALL, replicas: 1 }]);
    const skipped = s.apply([{ tier: "small", preset: SMALL, replicas: 3 }]);
    const last = s.apply([{ tier: "small", preset: SMALL, replicas: 2 }]);
    expect((await first).started).toEqual(["small-1"]);
    expect((await skipped).superseded).toBe(true);
    expect((await last).started).toEqual(["small-2"]);
    expect(s.workers()).toHaveLength(2);
  });
});

describe("workerEnv", () => {
  it("sets tier, id and the preset override, and drops the ports only one process may bind", () => {
    const env = workerEnv({ WEIR_OPS_PORT: "9", PATH: "/bin", weir__TIERS__large__engineOptions__preset: "old" }, "large-2", "large", X8);
    expect(env).toEqual({
      PATH: "/bin",
      OTEL_SERVICE_NAME: "model-worker",
      WEIR_TIER: "large",
      WEIR_INSTANCE_ID: "large-2",
      WEIR__tiers__large__engineOptions__preset: X8,
    });
  });
});
