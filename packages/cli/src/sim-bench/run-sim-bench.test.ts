import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runSimBench } from "./run-sim-bench.js";

const dir = mkdtempSync(join(tmpdir(), "weir-sim-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const base = { instances: 2, preset: "llama-3.1-8b/h100", rateScale: 1, seed: 1 } as const;

describe("runSimBench", () => {
  it("replays an Azure trace round-robin: everything completes, nothing is reused", () => {
    const rows = Array.from({ length: 40 }, (_, i) => `2023-11-16 18:15:${String(10 + i).padStart(2, "0")}.0000000,${500 + i * 10},${20 + i}`);
    const tracePath = file("azure.csv", ["TIMESTAMP,ContextTokens,GeneratedTokens", ...rows].join("\n") + "\n");
    const r = runSimBench({ ...base, tracePath, policy: "round-robin" });
    expect(r.requests).toBe(40);
    expect(r.simulated.completed).toBe(40);
    expect(r.simulated.requestsPerInstance).toEqual([20, 20]);
    expect(r.simulated.prefixHitRate).toBe(0);
    expect(r.simulated.ttftMs.p50).toBeGreaterThan(0);
    expect(r.simulated.tpotMs.p50).toBeGreaterThan(0);
    expect(r.simulated.requestsPerSecond).toBeGreaterThan(0);
    expect(r.wallClock.peakRssMiB).toBeGreaterThan(0);
  });

  it("finds Mooncake's shared prefixes and counts requests too long to serve", () => {
    const line = (t: number, ids: number[], input = ids.length * 512) =>
      JSON.stringify({ timestamp: t, input_length: input, output_length: 8, hash_ids: ids });
    const tracePath = file(
      "mooncake.jsonl",
      [line(0, [1, 2, 3]), line(5000, [1, 2, 4]), line(10_000, [1, 2, 3, 5]), line(15_000, [9], 200_000)].join("\n") + "\n",
    );
    const r = runSimBench({ ...base, instances: 1, tracePath, policy: "least-loaded" });
    expect(r.refused).toBe(1);
    expect(r.simulated.completed).toBe(3);
    // 0 + 2 + 3 of the 3 + 3 + 4 trace blocks come from the cache.
    expect(r.simulated.prefixHitRate).toBeCloseTo(0.5, 6);
  });
});
