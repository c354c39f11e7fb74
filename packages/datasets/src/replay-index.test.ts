import { flattenMessages } from "@weir/tokens";
import { describe, expect, it } from "vitest";
import type { LabelledDataset } from "./labelled-dataset.js";
import { ReplayIndex, syntheticAnswer } from "./replay-index.js";
import { createReplayOutputSource } from "./replay-output-source.js";
import { loadGsm8k, loadMmlu } from "./routellm.js";

const MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";
const GPT4 = "gpt-4-1106-preview";

describe("ReplayIndex", () => {
  const gsm8k = loadGsm8k();
  const row = gsm8k.rows[1];
  if (row === undefined) throw new Error("no rows");
  const mixtral = new ReplayIndex(gsm8k, MIXTRAL);

  it("replays the recorded answer and its label for the exact prompt", () => {
    expect(mixtral.size).toBe(990);
    expect(mixtral.lookup(row.prompt)).toEqual({
      response: row.response[MIXTRAL],
      correct: row.correct[MIXTRAL],
      rowId: row.id,
      synthetic: false,
    });
    expect(new ReplayIndex(gsm8k, GPT4).lookup(row.prompt)?.response).toBe(row.response[GPT4]);
  });

  it("matches after normalising whitespace, and only then", () => {
    const spaced = `  ${row.prompt.replace(/ /g, "\n  ")}\n`;
    expect(mixtral.lookup(spaced)?.rowId).toBe(row.id);
    expect(mixtral.lookup(`${row.prompt} Explain.`)).toBeUndefined();
    expect(mixtral.lookup("What is a weir?")).toBeUndefined();
  });

  it("finds the question in a chat's last user message: flattened, turns or { messages }", () => {
    const messages = [
      { role: "system", content: "Solve step by step." },
      { role: "user", content: "Hello" },
      { role: "assistant", content: "Hi! What is the problem?" },
      { role: "user", content: row.prompt },
    ];
    expect(mixtral.lookup(flattenMessages(messages))?.rowId).toBe(row.id);
    expect(mixtral.lookup(flattenMessages([...messages, { role: "assistant", content: "" }]))?.rowId).toBe(row.id);
    expect(mixtral.lookup(messages)?.rowId).toBe(row.id);
    expect(mixtral.lookup({ messages })?.rowId).toBe(row.id);
    expect(mixtral.lookup(messages.slice(0, 3))).toBeUndefined();
    expect(mixtral.lookup([])).toBeUndefined();
  });

  it("refuses a model the dataset does not have", () => {
    expect(() => new ReplayIndex(gsm8k, "llama-3.1-8b")).toThrow(/dataset "gsm8k" has no model "llama-3.1-8b"/);
  });

  it("gives MMLU (no answer text) a synthetic answer that states the recorded correctness", () => {
    const anatomy = loadMmlu(["anatomy"]);
    const index = new ReplayIndex(anatomy, GPT4);
    for (const r of anatomy.rows.slice(0, 20)) {
      const correct = r.correct[GPT4] === true;
      expect(index.lookup(r.prompt)).toEqual({
        response: `(replayed mmlu answer: recorded as ${correct ? "correct" : "incorrect"})`,
        correct,
        rowId: r.id,
        synthetic: true,
      });
    }
    const bare = new ReplayIndex(anatomy, GPT4, { synthesizeMissing: false });
    expect(bare.lookup(anatomy.rows[0]?.prompt ?? "")).toMatchObject({ response: undefined, synthetic: false });
    expect(syntheticAnswer("mmlu", false)).toBe("(replayed mmlu answer: recorded as incorrect)");
  });

  it("keeps the first of rows that repeat a question", () => {
    const ds: LabelledDataset = {
      name: "dup",
      models: ["m"],
      rows: [
        { id: "a", prompt: "Q?", correct: { m: true }, response: { m: "first" } },
        { id: "a", prompt: " Q? ", correct: { m: false }, response: { m: "second" } },
      ],
    };
    const index = new ReplayIndex(ds, "m");
    expect(index.size).toBe(1);
    expect(index.lookup("Q?")).toMatchObject({ response: "first", correct: true });
  });
});

describe("createReplayOutputSource", () => {
  const gsm8k = loadGsm8k();
  const row = gsm8k.rows[0];
  if (row === undefined) throw new Error("no rows");

  it("writes the recorded answer, else the fallback's, else nothing", () => {
    const index = new ReplayIndex(gsm8k, GPT4);
    const bare = createReplayOutputSource(index);
    expect(bare(row.prompt)).toBe(row.response[GPT4]);
    expect(bare(flattenMessages([{ role: "user", content: row.prompt }]))).toBe(row.response[GPT4]);
    expect(bare("unknown prompt")).toBeUndefined();
    const withFallback = createReplayOutputSource(index, (p) => `made up for ${p}`);
    expect(withFallback("unknown prompt")).toBe("made up for unknown prompt");
    expect(withFallback(row.prompt)).toBe(row.response[GPT4]);
  });

  it("falls back when the index has no text to give", () => {
    const anatomy = loadMmlu(["anatomy"]);
    const index = new ReplayIndex(anatomy, MIXTRAL, { synthesizeMissing: false });
    expect(createReplayOutputSource(index, () => "fallback")(anatomy.rows[0]?.prompt ?? "")).toBe("fallback");
  });
});
