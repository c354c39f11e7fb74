import { describe, expect, it } from "vitest";
import { SseParser } from "./sse-parser.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("SseParser", () => {
  it("parses events, joining data lines and skipping comments, id and retry", () => {
    const p = new SseParser();
    expect(p.push(bytes(": keep-alive\ndata: a\ndata: b\nid: 7\nretry: 10\n\nevent: error\ndata: x\n\n"))).toEqual([
      { event: "message", data: "a\nb" },
      { event: "error", data: "x" },
    ]);
    expect(p.foreignLine).toBeUndefined();
  });

  it("handles any split of lines, CRLF pairs and multi-byte characters across reads", () => {
    const text = "data: {\"t\":\"é€\"}\r\n\r\ndata:[DONE]\r\r";
    const whole = new SseParser().push(bytes(text));
    const all = bytes(text);
    for (let cut = 1; cut < all.length; cut++) {
      const p = new SseParser();
      expect([...p.push(all.slice(0, cut)), ...p.push(all.slice(cut)), ...p.end()]).toEqual(whole);
    }
    expect(whole).toEqual([
      { event: "message", data: '{"t":"é€"}' },
      { event: "message", data: "[DONE]" },
    ]);
  });

  it("dispatches a last event without its blank line at the end", () => {
    const p = new SseParser();
    expect(p.push(bytes("data: last"))).toEqual([]);
    expect(p.end()).toEqual([{ event: "message", data: "last" }]);
  });

  it("remembers the first line that is not SSE", () => {
    const p = new SseParser();
    expect(p.push(bytes('{"id":"x","choices":[]}\n<html>\n'))).toEqual([]);
    expect(p.end()).toEqual([]);
    expect(p.foreignLine).toBe('{"id":"x","choices":[]}');
  });
});
