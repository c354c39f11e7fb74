import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLabelledCsv, parseLabelledCsv } from "./labelled-dataset.js";
import { normalizePrompt } from "./normalize-prompt.js";
import { stableHash } from "./stable-hash.js";

const CSV = [
  "\uFEFFprompt,small,big,big_response",
  '"What is 2+2?\nAnswer briefly.",True,False,"It is 4.\n\n#### 4"',
  'Plain question,false,TRUE,"Says ""hi"", twice"',
].join("\r\n");

describe("parseLabelledCsv (RouteLLM format)", () => {
  it("reads prompts, one label per model and the answer columns there are", () => {
    const ds = parseLabelledCsv(CSV, { name: "tiny", source: "unit" });
    expect(ds.name).toBe("tiny");
    expect(ds.models).toEqual(["small", "big"]);
    expect(ds.rows).toEqual([
      {
        id: stableHash("What is 2+2? Answer briefly."),
        prompt: "What is 2+2?\nAnswer briefly.",
        correct: { small: true, big: false },
        response: { small: undefined, big: "It is 4.\n\n#### 4" },
        source: "unit",
      },
      {
        id: stableHash("Plain question"),
        prompt: "Plain question",
        correct: { small: false, big: true },
        response: { small: undefined, big: 'Says "hi", twice' },
        source: "unit",
      },
    ]);
  });

  it("hashes the whitespace-normalised prompt into a 64-bit hex id", () => {
    const a = parseLabelledCsv('prompt,m\n"  What  is\n a weir? ",True\n').rows[0];
    expect(a?.id).toMatch(/^[0-9a-f]{16}$/);
    expect(a?.id).toBe(stableHash(normalizePrompt("What is a weir?")));
    // Pinned: ids are SHA-256 based and must not change between versions or machines.
    expect(stableHash("What is a weir?")).toBe("37857ce710f41d0a");
  });

  it("leaves source out when none is given", () => {
    const row = parseLabelledCsv("prompt,m\nq,True\n").rows[0];
    expect(row).not.toHaveProperty("source");
  });

  it("says what is wrong, and where", () => {
    expect(() => parseLabelledCsv("")).toThrow(/is empty/);
    expect(() => parseLabelledCsv("question,m\nq,True\n", { file: "x.csv" })).toThrow(/x.csv has no "prompt" column/);
    expect(() => parseLabelledCsv("prompt\nq\n")).toThrow(/no model/);
    expect(() => parseLabelledCsv("prompt,m,other_response\nq,True,a\n")).toThrow(/"other_response" column but no "other"/);
    expect(() => parseLabelledCsv("prompt,m\nq,True\nr,maybe\n", { file: "y.csv" })).toThrow(
      'y.csv row 2, column "m" must be True or False, got "maybe"',
    );
    expect(() => parseLabelledCsv("prompt,m\nq,True,extra\n")).toThrow(/not valid CSV/);
  });
});

describe("loadLabelledCsv", () => {
  it("reads a file, named after the file by default", () => {
    const dir = mkdtempSync(join(tmpdir(), "weir-datasets-"));
    try {
      const path = join(dir, "my_eval.csv");
      writeFileSync(path, CSV);
      const ds = loadLabelledCsv(path);
      expect(ds.name).toBe("my_eval");
      expect(ds.rows).toHaveLength(2);
      expect(loadLabelledCsv(path, { name: "renamed" }).name).toBe("renamed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
