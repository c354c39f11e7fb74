import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatSimBenchReport } from "./format-report.js";
import { runSimBench } from "./run-sim-bench.js";
import { simBenchMarkdown } from "./summary-markdown.js";

const dir = mkdtempSync(join(tmpdir(), "weir-sim-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const base = { instances: 2, preset: "llama-3.1-8b/h100", rateScales: [1], seed: 1 } as const;

function azure(n: number, lengths: (i: number) => [number, number]): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const [ctx, gen] = lengths(i);
    const t = 10 + i * 0.25;
    return `2023-11-16 18:15:${String(Math.floor(t)).padStart(2, "0")}.${String(Math.round((t % 1) * 1e7)).padStart(7, "0")},${ctx},${gen}`;
  });
  return ["TIMESTAMP,ContextTokens,GeneratedTokens", ...rows].join("\n") + "\n";
}

describe("runSimBench", () => {
  it("replays an Azure trace round-robin: everything completes, nothing is reused", () => {
    const tracePath = file("azure.csv", azure(40, (i) => [500 + i * 10, 20 + i]));
    const r = runSimBench({ ...base, tracePath, policies: ["round-robin"] });
    expect(r.requests).toBe(40);
    expect(r.trace).toBe("azure.csv");
    expect(r.runs).toHaveLength(1);
    const s = r.runs[0]!.simulated;
    expect(s.completed).toBe(40);
    expect(s.requestsPerInstance).toEqual([20, 20]);
    expect(s.prefixHitRate).toBe(0);
    expect(s.ttftMs.p50).toBeGreaterThan(0);
    expect(s.tpotMs.p50).toBeGreaterThan(0);
    expect(s.requestsPerSecond).toBeGreaterThan(0);
    expect(s.migrations).toBe(0);
    expect(r.wallClock.peakRssMiB).toBeGreaterThan(0);
  });

  it("finds Mooncake's shared prefixes and counts requests too long to serve", () => {
    const line = (t: number, ids: number[], input = ids.length * 512) =>
      JSON.stringify({ timestamp: t, input_length: input, output_length: 8, hash_ids: ids });
    const tracePath = file(
      "mooncake.jsonl",
      [line(0, [1, 2, 3]), line(5000, [1, 2, 4]), line(10_000, [1, 2, 3, 5]), line(15_000, [9], 200_000)].join("\n") + "\n",
    );
    const r = runSimBench({ ...base, instances: 1, tracePath, policies: ["least-loaded"] });
    const run = r.runs[0]!;
    expect(run.refused).toBe(1);
    expect(run.simulated.completed).toBe(3);
    // 0 + 2 + 3 of the 3 + 3 + 4 trace blocks come from the cache.
    expect(run.simulated.prefixHitRate).toBeCloseTo(0.5, 6);
  });

  it("runs every policy at every rate on the same trace, and prefix-aware finds more cache than round-robin", () => {
    // Ten conversations of growing turns, interleaved: each turn repeats its conversation's earlier blocks.
    const lines: string[] = [];
    for (let turn = 0; turn < 6; turn++) {
      for (let c = 0; c < 10; c++) {
        const ids = Array.from({ length: 2 + turn }, (_, k) => c * 100 + k);
        lines.push(JSON.stringify({ timestamp: (turn * 10 + c) * 400, input_length: ids.length * 512, output_length: 20, hash_ids: ids }));
      }
    }
    const tracePath = file("conversations.jsonl", lines.join("\n") + "\n");
    const seen: string[] = [];
    const r = runSimBench({
      ...base,
      instances: 4,
      tracePath,
      policies: ["round-robin", "least-loaded", "prefix-aware"],
      rateScales: [1, 2],
      onRun: (run) => seen.push(`${run.policy}@${run.rateScale}`),
    });
    expect(seen).toEqual(["round-robin@1", "least-loaded@1", "prefix-aware@1", "round-robin@2", "least-loaded@2", "prefix-aware@2"]);
    expect(r.runs.every((x) => x.simulated.completed === 60)).toBe(true);
    const hits = (policy: string, rate: number) => r.runs.find((x) => x.policy === policy && x.rateScale === rate)!.simulated.prefixHitRate;
    expect(hits("prefix-aware", 1)).toBeGreaterThan(hits("round-robin", 1));
    expect(hits("prefix-aware", 2)).toBeGreaterThan(hits("round-robin", 2));

    const text = formatSimBenchReport(r);
    expect(text).toMatch(/simulated \(virtual time/);
    expect(text).toMatch(/prefix-aware/);
    const md = simBenchMarkdown(r, "weir sim-bench x");
    expect(md.split("\n").filter((l) => l.startsWith("| ")).length).toBe(2 + 6); // header, rule, one row per run
    expect(md).toMatch(/\*\*simulated\*\*/);
  });

  it("length-aware migrates requests that outgrow their group, and only length-aware does", () => {
    // Short prompts, a few with very long answers: the estimate (≈ short) puts them in the short group.
    const tracePath = file("growing.csv", azure(240, (i) => [200 + (i % 7) * 20, i % 12 === 0 ? 3000 : 60]));
    const policyOptions = { lengthGroups: { groups: 2, minSamples: 30 } };
    const r = runSimBench({ ...base, instances: 4, tracePath, policies: ["least-loaded", "length-aware"], policyOptions });
    const [ll, la] = r.runs;
    expect(ll!.simulated.migrations).toBe(0);
    expect(la!.simulated.migrations).toBeGreaterThan(0);
    expect(la!.simulated.completed).toBe(240);
    const off = runSimBench({ ...base, instances: 4, tracePath, policies: ["length-aware"], policyOptions, migration: false });
    expect(off.runs[0]!.simulated.migrations).toBe(0);
    expect(off.migration).toBe(false);
  });
});
