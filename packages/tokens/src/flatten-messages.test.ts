import { describe, expect, it } from "vitest";
import { flattenMessages, parseFlattenedMessages } from "./flatten-messages.js";

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

describe("parseFlattenedMessages", () => {
  it("reads back what flattenMessages wrote", () => {
    const conversations = [
      [],
      [{ role: "user", content: "Hi" }],
      [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Line one\nline two\n\n" },
        { role: "assistant", content: "" },
        { role: "tool_result", content: "<|user|> inline is fine" },
        { role: "user", content: "\n<|x" },
      ],
    ];
    for (const turns of conversations) expect(parseFlattenedMessages(flattenMessages(turns))).toEqual(turns);
  });

  it("returns undefined for text that is not a flattened conversation", () => {
    for (const text of ["Hi", "<|user|>\nHi", "x<|user|>\nHi\n", "<|us er|>\nHi\n", "<|user|>Hi\n"]) {
      expect(parseFlattenedMessages(text)).toBeUndefined();
    }
  });

  it("reads content holding a newline and a header line as two turns (the format's one ambiguity)", () => {
    const text = flattenMessages([{ role: "user", content: "a\n<|assistant|>\nb" }]);
    expect(parseFlattenedMessages(text)).toEqual([
      { role: "user", content: "a" },
      { role: "assistant", content: "b" },
    ]);
  });
});
