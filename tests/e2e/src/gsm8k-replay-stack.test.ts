import { repoRoot } from "@weir/cli/stack";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";

// Two simulated tiers replaying the recorded GSM8K answers of real models,
// as `npm start`'s weir.yaml runs them: the answer a client gets is the
// recorded answer of the model whose column the serving tier replays.
const MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";
const GPT4 = "gpt-4-1106-preview";
const COLUMN: Record<string, string> = { small: MIXTRAL, large: GPT4 };

interface Gsm8kRow {
  prompt: string;
  response: Record<string, string | undefined>;
}

let fx: StackFixture;
let openai: OpenAI;
let rows: Gsm8kRow[];

beforeAll(async () => {
  // @weir/datasets is not a dependency of this package: load its build by path.
  const datasets = (await import(pathToFileURL(join(repoRoot(), "packages/datasets/dist/index.js")).href)) as {
    loadGsm8k(): { rows: Gsm8kRow[] };
  };
  rows = datasets.loadGsm8k().rows;
  fx = await startStackFixture({
    tiers: [
      {
        name: "small",
        replicas: 1,
        qeThreshold: 0.7,
        engine: "sim",
        model: "meta-llama/Llama-3.1-8B-Instruct",
        engineOptions: { preset: "llama-3.1-8b/h100", speedup: 50, replay: { dataset: "gsm8k", model: MIXTRAL } },
      },
      {
        name: "large",
        replicas: 1,
        qeThreshold: 0,
        engine: "sim",
        model: "meta-llama/Llama-3.1-70B-Instruct",
        engineOptions: { preset: "llama-3.1-70b/h100x4", speedup: 50, replay: { dataset: "gsm8k", model: GPT4 } },
      },
    ],
  });
  openai = new OpenAI({ baseURL: `${fx.stack.httpUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});

afterAll(async () => {
  await fx?.stop();
});

const recorded = (row: Gsm8kRow | undefined, tier: string | null): string | undefined =>
  row?.response[COLUMN[tier ?? ""] ?? ""];

describe("GSM8K answers replayed by simulated tiers", () => {
  it("answers a GSM8K question with the recorded answer of the tier that served it", async () => {
    const row = rows[7];
    const { data, response } = await openai.chat.completions
      .create({ model: "weir-auto", messages: [{ role: "user", content: row?.prompt ?? "" }] })
      .withResponse();
    const tier = response.headers.get("x-weir-tier");
    expect(["small", "large"]).toContain(tier);
    expect(data.choices[0]?.message.content).toBe(recorded(row, tier));
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(20);
  });

  it("streams the recorded answer of a pinned tier", async () => {
    const row = rows[11];
    for (const tier of ["small", "large"]) {
      const stream = await openai.chat.completions.create({
        model: tier,
        messages: [{ role: "user", content: row?.prompt ?? "" }],
        stream: true,
      });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      expect(text).toBe(recorded(row, tier));
    }
    expect(recorded(row, "small")).not.toBe(recorded(row, "large"));
  });

  it("makes up filler for a prompt that is not in the data", async () => {
    const res = await openai.chat.completions.create({ model: "small", messages: [{ role: "user", content: "Not a GSM8K question." }], max_tokens: 16 });
    expect(res.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(res.usage?.completion_tokens).toBeLessThanOrEqual(16);
  });
});
