import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { evalCommand } from "./eval.js";

const SHIPPED = fileURLToPath(new URL("../../../../artifacts/gsm8k-mmlu/", import.meta.url));
const M = "mistralai/Mixtral-8x7B-Instruct-v0.1";
const G = "gpt-4-1106-preview";

function csv(): string {
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  const rows = [
    ["Tom has 4 boxes of 6 apples. How many apples?", "True", "True", "4 x 6 = <<4*6=24>>24\n#### 24", "4 * 6 = 24\n#### 24"],
    ["A pen costs $3. How much do 5 pens cost?", "False", "True", "5 x 3 = <<5*3=16>>16\n#### 16", "5 * 3 = 15\n#### 15"],
    ["Which organ pumps blood?\nA. Heart\nB. Lung\nC. Liver\nD. Kidney\nAnswer:", "True", "True", "A", "A"],
  ];
  return [`prompt,${M},${G},${M}_response,${G}_response`, ...rows.map((r) => r.map(q).join(","))].join("\n") + "\n";
}

let dir: string | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

function capture(): { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  return { out: () => out, err: () => err };
}

describe("weir eval", () => {
  it("--json prints one JSON object with accuracy, tier shares and relative cost", async () => {
    dir = mkdtempSync(join(tmpdir(), "weir-eval-"));
    const file = join(dir, "tiny.csv");
    writeFileSync(file, csv());
    const io = capture();
    await evalCommand({ artifacts: SHIPPED, dataset: [file], json: true });
    expect(io.err()).toBe("");
    const lines = io.out().trim().split("\n");
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(r).toMatchObject({ artifacts: SHIPPED, dataset: "tiny", rows: 3, tiers: ["small", "large"], strongestAccuracy: 1 });
    for (const k of ["accuracy", "relativeAccuracy", "costRelative", "costSaving", "neverStrongest", "costUsd", "beta"]) expect(typeof r[k]).toBe("number");
    expect(Object.keys(r.reached as object)).toEqual(["small", "large"]);
    expect(Object.keys(r.answeredBy as object)).toEqual(["small", "large"]);
    expect(r.qe).toMatchObject({ pairs: 3 });
    expect(r.thresholds).toHaveProperty("small");
  });

  it("prints a table without --json, and a sentence for a missing artifact", async () => {
    const io = capture();
    await evalCommand({ artifacts: SHIPPED, dataset: ["mmlu:anatomy"] });
    expect(io.out()).toMatch(/^mmlu: \d+ rows, artifact /);
    expect(io.out()).toContain("reach small");
    await evalCommand({ artifacts: "/nonexistent", dataset: ["gsm8k"] });
    expect(io.err()).toMatch(/^weir eval: no routing artifact at \/nonexistent\/routing\.json: train one with/);
    expect(process.exitCode).toBe(1);
  });
});
