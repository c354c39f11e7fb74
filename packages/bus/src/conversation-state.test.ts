import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationKey, nextConversationKey, openConversationStore, type StoredTurn } from "./conversation-state.js";
import { natsFixture, type NatsFixture } from "./test-support/nats.js";

const turn = (requestId: string, question: string, answer: string): StoredTurn => ({
  requestId,
  question,
  answer,
  tier: "small",
  escalated: false,
  risk: 0,
  riskRules: [],
  reused: false,
});

describe("conversation keys", () => {
  const q1 = { role: "user", content: "What is 2 + 2?" };
  it("a first turn without an id has no state; the next turn reads where the first one wrote", () => {
    expect(conversationKey("", [q1])).toBeUndefined();
    const written = nextConversationKey("", [q1], "4");
    const read = conversationKey("", [q1, { role: "assistant", content: " 4\n" }, { role: "user", content: "And 3 + 3?" }]);
    expect(read).toBe(written);
  });
  it("a different history is a different conversation", () => {
    expect(nextConversationKey("", [q1], "4")).not.toBe(nextConversationKey("", [q1], "5"));
  });
  it("a client-given id is stable across turns", () => {
    expect(conversationKey("c-1", [q1])).toBe(nextConversationKey("c-1", [q1], "4"));
    expect(conversationKey("c-1", [q1])).not.toBe(conversationKey("c-2", [q1]));
  });
});

describe("conversation store (NATS KV)", () => {
  let nats: NatsFixture;
  beforeAll(async () => {
    nats = await natsFixture({});
  });
  afterAll(async () => {
    await nats?.dispose();
  });

  it("one replica appends turns another replica reads", async () => {
    const writer = await openConversationStore(await nats.connect("gateway"), 60_000);
    const reader = await openConversationStore(await nats.connect("router"), 60_000);
    expect(await reader.get("h.none")).toBeUndefined();
    await writer.append(undefined, "h.a", turn("r1", "q1", "a1"));
    await writer.append("h.a", "h.b", turn("r2", "q2", "a2"));
    expect((await reader.get("h.b"))?.turns.map((t) => t.requestId)).toEqual(["r1", "r2"]);
    expect((await reader.get("h.a"))?.turns.map((t) => t.requestId)).toEqual(["r1"]);
  });
});
