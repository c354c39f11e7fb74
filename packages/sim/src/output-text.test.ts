import { create } from "@bufbuild/protobuf";
import { GenerateTokensRequestSchema } from "@weir/proto";
import { tokenize } from "@weir/tokens";
import { describe, expect, it } from "vitest";
import { fillerTokens, resolveOutput } from "./output-text.js";
import { llama3Tokenizer, tokenizeText } from "./tokenized-text.js";

const req = (init: { maxTokens?: number; targetOutputTokens?: number } = {}) =>
  create(GenerateTokensRequestSchema, { prompt: "p", ...init });

const base = { source: undefined, lengths: { mean: 50, max: 100 }, tokenizer: llama3Tokenizer, maxOutputTokens: 10_000 };

describe("output text", () => {
  it("splits text into one piece per Llama 3 token that joins back exactly, multi-byte characters included", () => {
    for (const text of ["Hello, world!", "Ein Wehr — 堰 — 🌊 staut Wasser.", "", "  spaces\n\nand lines "]) {
      const t = tokenizeText(text, llama3Tokenizer);
      expect(t.ids).toEqual(tokenize(text));
      expect(t.pieces).toHaveLength(t.ids.length);
      expect(t.pieces.join("")).toBe(text);
    }
  });

  it("makes filler of exactly n tokens, deterministic per seed, shorter ones prefixes of longer ones", () => {
    const short = fillerTokens(10, 42, llama3Tokenizer);
    const long = fillerTokens(300, 42, llama3Tokenizer);
    expect(short.ids).toHaveLength(10);
    expect(long.ids).toHaveLength(300);
    expect(long.pieces.join("").startsWith(short.pieces.join(""))).toBe(true);
    expect(fillerTokens(10, 43, llama3Tokenizer).pieces.join("")).not.toBe(short.pieces.join(""));
  });

  it("honours target_output_tokens by cutting or extending the source's text", () => {
    const source = () => "A weir is a low dam.";
    const n = tokenize("A weir is a low dam.").length;
    const cut = resolveOutput("p", req({ targetOutputTokens: 3 }), { ...base, source });
    expect(cut).toMatchObject({ finishReason: "stop" });
    expect(cut.tokens.ids).toHaveLength(3);
    const extended = resolveOutput("p", req({ targetOutputTokens: n + 20 }), { ...base, source });
    expect(extended.tokens.ids).toHaveLength(n + 20);
    expect(extended.tokens.pieces.join("").startsWith("A weir is a low dam.")).toBe(true);
  });

  it("caps at max_tokens and at the context left, with finish_reason length", () => {
    expect(resolveOutput("p", req({ targetOutputTokens: 50, maxTokens: 7 }), base)).toMatchObject({
      finishReason: "length",
      tokens: { ids: expect.any(Array) },
    });
    expect(resolveOutput("p", req({ targetOutputTokens: 50, maxTokens: 7 }), base).tokens.ids).toHaveLength(7);
    const ctx = resolveOutput("p", req({ targetOutputTokens: 50 }), { ...base, maxOutputTokens: 9 });
    expect(ctx.finishReason).toBe("length");
    expect(ctx.tokens.ids).toHaveLength(9);
  });

  it("answers an empty text with a single empty token (the EOS)", () => {
    const out = resolveOutput("p", req(), { ...base, source: () => "" });
    expect(out.tokens.pieces).toEqual([""]);
    expect(out.finishReason).toBe("stop");
  });

  it("draws natural lengths with the configured mean", () => {
    let sum = 0;
    const n = 300;
    for (let i = 0; i < n; i++) sum += resolveOutput(`prompt ${i}`, req(), base).tokens.ids.length;
    expect(sum / n).toBeGreaterThan(35);
    expect(sum / n).toBeLessThan(60);
  });
});
