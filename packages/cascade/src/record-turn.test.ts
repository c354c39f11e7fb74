import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { GenerationInputSchema } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { createCascade, type CascadeOptions } from "./cascade.js";
import type { CompletedTurn } from "./ports.js";
import { fakePorts } from "./test-support/fake-ports.js";

const TIERS: CascadeOptions["tiers"] = [
  { name: "small", model: "org/small-8b", pricing: { inputPerMTok: 0.1, outputPerMTok: 0.2 } },
  { name: "large", model: "org/large-70b", pricing: { inputPerMTok: 1, outputPerMTok: 2 } },
];

/** Runs one request and returns the turns the cascade asked the gateway to record. */
async function recorded(init: MessageInitShape<typeof GenerationInputSchema>): Promise<CompletedTurn[]> {
  const turns: CompletedTurn[] = [];
  const ports = fakePorts({
    tiers: { small: { instances: ["s1"], pieces: ["cheap"], score: 0.9 }, large: { instances: ["l1"], pieces: ["strong"] } },
    ladder: [
      ["small", 0.5],
      ["large", 0],
    ],
  });
  const cascade = createCascade({ ...ports, recordTurn: (t) => turns.push(t) }, { tiers: TIERS });
  const input = create(GenerationInputSchema, { model: "weir-auto", ...init });
  for await (const _ of cascade.run(input, { signal: new AbortController().signal, requestId: "req-1" })) void _;
  return turns;
}

describe("recording turns for the conversation layers", () => {
  it("records a chat turn: its history keys the state the next turn reads", async () => {
    const turns = await recorded({ messages: [{ role: "user", content: "What is a cascade?" }] });
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ question: "What is a cascade?", answer: "cheap", tier: "small", reused: false });
  });

  it("records a completion only when it names its conversation: otherwise no later turn can read it", async () => {
    expect(await recorded({ prompt: "Once upon a time" })).toHaveLength(0);
    const named = await recorded({ prompt: "Once upon a time", conversationId: "story-1" });
    expect(named).toHaveLength(1);
    expect(named[0]?.conversationId).toBe("story-1");
  });
});
