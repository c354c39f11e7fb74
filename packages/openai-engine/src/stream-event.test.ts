import { describe, expect, it } from "vitest";
import { MalformedStreamError, parseStreamEvent } from "./stream-event.js";

const msg = (data: string, event = "message") => ({ event, data });

describe("parseStreamEvent", () => {
  it("reads chat deltas, completion text, finish reasons and [DONE]", () => {
    expect(parseStreamEvent(msg('{"choices":[{"delta":{"role":"assistant","content":""}}]}'), "chat")).toEqual({ type: "chunk", text: "" });
    expect(parseStreamEvent(msg('{"choices":[{"delta":{"content":"Hi"},"finish_reason":null}]}'), "chat")).toEqual({ type: "chunk", text: "Hi" });
    expect(parseStreamEvent(msg('{"choices":[{"delta":{},"finish_reason":"length"}]}'), "chat")).toEqual({ type: "chunk", text: "", finishReason: "length" });
    expect(parseStreamEvent(msg('{"choices":[{"text":" yes","finish_reason":"stop"}]}'), "text")).toEqual({ type: "chunk", text: " yes", finishReason: "stop" });
    expect(parseStreamEvent(msg("[DONE]"), "chat")).toEqual({ type: "done" });
  });

  it("reads the usage chunk, cached tokens included", () => {
    const data = '{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":8}}}';
    expect(parseStreamEvent(msg(data), "chat")).toEqual({ type: "chunk", text: "", usage: { promptTokens: 12, completionTokens: 5, cachedPromptTokens: 8 } });
    expect(parseStreamEvent(msg('{"choices":[],"usage":null}'), "chat")).toEqual({ type: "chunk", text: "" });
  });

  it("reads errors in OpenAI's, vLLM's and event-typed shapes", () => {
    expect(parseStreamEvent(msg('{"error":{"message":"boom","code":503}}'), "chat")).toEqual({ type: "error", message: "boom", status: 503 });
    expect(parseStreamEvent(msg('{"object":"error","message":"bad","code":400}'), "chat")).toEqual({ type: "error", message: "bad", status: 400 });
    expect(parseStreamEvent(msg('{"message":"oops"}', "error"), "text")).toEqual({ type: "error", message: "oops" });
  });

  it("says what is wrong with anything else", () => {
    expect(() => parseStreamEvent(msg("nope"), "chat")).toThrow(MalformedStreamError);
    expect(() => parseStreamEvent(msg("[1,2]"), "chat")).toThrow("not a JSON object");
    expect(() => parseStreamEvent(msg('{"choices":{}}'), "chat")).toThrow('without a "choices" list');
    expect(() => parseStreamEvent(msg('{"choices":[{"delta":{"content":5}}]}'), "chat")).toThrow('"content" is not a string');
    expect(() => parseStreamEvent(msg('{"choices":[{"text":5}]}'), "text")).toThrow('"text" is not a string');
  });
});
