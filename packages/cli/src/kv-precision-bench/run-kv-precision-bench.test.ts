import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runKvPrecisionBench } from "./run-kv-precision-bench.js";

const dir = mkdtempSync(join(tmpdir(), "weir-kv-precision-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Mooncake trace of conversations: each turn repeats the previous one's prompt and adds 1,024 tokens. */
function conversationTrace(): string {
  const lines: string[] = [];
  let nextId = 1;
  for (let c = 0; c < 8; c++) {
    const ids: number[] = [];
    for (let turn = 0; turn < 4; turn++) {
      ids.push(nextId++, nextId++);
      lines.push(JSON.stringify({ timestamp: c * 200 + turn * 1500, input_length: ids.length * 512, output_length: 150, hash_ids: [...ids] }));
    }
  }
  // One prompt too long for the squeezed KV memory: refused in every run.
  lines.push(JSON.stringify({ timestamp: 100, input_length: 9000, output_length: 10, hash_ids: [nextId] }));
  lines.sort((a, b) => JSON.parse(a).timestamp - JSON.parse(b).timestamp);
  const path = join(dir, "conversations.jsonl");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

describe("runKvPrecisionBench", () => {
  const base = { tracePath: conversationTrace(), instances: 2, preset: "llama-3.1-8b/h100", anchorBlocks: 4, rateScale: 1, seed: 1 } as const;

  it("runs every precision on the same trace and placement, and reports the capacity gain", () => {
    const r = runKvPrecisionBench({
      ...base,
      policy: "round-robin",
      precisions: ["fp16", "fp8-anchored", "int8-anchored"],
      kvCapacityTokens: 8192, // 512 blocks per instance: the conversations do not all fit at 16 bits
    });
    expect(r.requests).toBe(33);
    expect(r.refused).toBe(1);
    expect(r.runs.map((run) => run.kvPrecision)).toEqual(["fp16", "fp8-anchored", "int8-anchored"]);
    const [fp16, fp8, int8] = r.runs;
    for (const run of r.runs) {
      expect(run.simulated.completed).toBe(32);
      expect(run.capacity.blocksTotal).toBe(512);
    }
    expect(fp16!.capacity.gain).toBe(1);
    expect(fp16!.capacity.tokensAtMeanLength).toBe(8192);
    expect(fp8!.capacity.gain).toBeGreaterThan(1.8);
    expect(fp8!.capacity.gain).toBeLessThan(2);
    expect(int8!.capacity.gain).toBeGreaterThan(1.7);
    expect(int8!.capacity.gain).toBeLessThan(fp8!.capacity.gain);
    expect(fp8!.capacity.tokensUpperBound).toBe(16_384);
    // More room: fewer preemptions, more of each conversation's history still cached.
    expect(fp8!.simulated.preemptions).toBeLessThan(fp16!.simulated.preemptions);
    expect(fp8!.simulated.prefixHitRate).toBeGreaterThanOrEqual(fp16!.simulated.prefixHitRate);
  });

  it("with the preset's full memory and a light trace, the precisions serve alike", () => {
    const r = runKvPrecisionBench({ ...base, policy: "prefix-aware", precisions: ["fp16", "fp8-anchored"], rateScale: 0.5 });
    const [fp16, fp8] = r.runs;
    expect(r.refused).toBe(0);
    expect(fp16!.simulated.completed).toBe(33);
    expect(fp8!.simulated.completed).toBe(33);
    expect(fp8!.simulated.preemptions).toBe(0);
    expect(fp8!.simulated.prefixHitRate).toBeCloseTo(fp16!.simulated.prefixHitRate, 9);
  });
});
