import { describe, expect, it } from "vitest";
import { flattenMessages } from "./flatten-messages.js";

describe("flattenMessages", () => {
  it("writes each turn as <|role|>, newline, content, newline", () => {
    expect(
      flattenMessages([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ]),
    ).toBe("<|system|>\nBe brief.\n<|user|>\nHi\n");
  });

  it("flattens no turns to the empty string and keeps empty content", () => {
    expect(flattenMessages([])).toBe("");
    expect(flattenMessages([{ role: "assistant", content: "" }])).toBe("<|assistant|>\n\n");
  });

  it("keeps a conversation's earlier turns as a prefix when it grows", () => {
    const turns = [
      { role: "user", content: "What is a weir?" },
      { role: "assistant", content: "A low dam across a river." },
    ];
    const longer = [...turns, { role: "user", content: "Why build one?" }];
    expect(flattenMessages(longer).startsWith(flattenMessages(turns))).toBe(true);
  });
});
