import { type LabelledRow, loadGsm8k } from "@weir/datasets";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GPT4, MIXTRAL, gsm8kReplayTiers } from "./gsm8k-replay-tiers.js";
import { startStackFixture, type StackFixture } from "./stack-fixture.js";

// Two simulated tiers replaying the recorded GSM8K answers of real models,
// as `npm start`'s weir.yaml runs them: the answer a client gets is the
// recorded answer of the model whose column the serving tier replays.
const COLUMN: Record<string, string> = { small: MIXTRAL, large: GPT4 };

type Gsm8kRow = LabelledRow;

let fx: StackFixture;
let openai: OpenAI;
let rows: Gsm8kRow[];

beforeAll(async () => {
  rows = loadGsm8k().rows;
  fx = await startStackFixture({
    tiers: gsm8kReplayTiers(),
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
