import { describe, expect, it } from "vitest";
import { flattenMessages } from "./flatten-messages.js";
import { llama3 } from "./llama3.js";
import { countTokens, detokenize, tokenize } from "./tokenize.js";

const PROSE =
  "In computer science, a cache is a hardware or software component that stores data so that " +
  "future requests for that data can be served faster; the data stored in a cache might be the " +
  "result of an earlier computation or a copy of data stored elsewhere. A cache hit occurs when " +
  "the requested data can be found in a cache, while a cache miss occurs when it cannot.";

/** Inputs where pre-tokenization has edges: whitespace runs, contractions, digits, scripts, special tokens. */
const EDGE_CASES = [
  "",
  " ",
  "   ",
  "\n",
  " \n",
  "\r\n\r\n",
  "a  b   c\t\td",
  "trailing spaces   ",
  "   leading",
  "x \n  y",
  "I'm sure they'll say it's fine, DON'T YOU'LL WE'D",
  "1234567 3.14159 -42 1,000,000",
  "Überprüfungsausschuss naïve café",
  "日本語のテキスト、東京タワー。",
  "مرحبا بالعالم",
  "emoji 🙂👍🏽 and ZWJ 👨‍👩‍👧",
  "e\u0301 combining",
  "lone \ud800 surrogate",
  "code: const x = a?.b ?? [1, 2]; // ok\n\tif (x) {\n\t\treturn;\n\t}",
  "<|begin_of_text|>Hi<|eot_id|>",
  " <|eot_id|> ",
  "<|user|>\nHi\n<|assistant|>\n",
  "<|reserved_special_token_247|> <|reserved_special_token_248|>",
  "<|eot_id",
  "####\n\n\n!!!???...",
];

/** Seeded pseudo-random text over a mixed alphabet (mulberry32). */
function fuzz(seed: number, length: number): string {
  const alphabet = [
    ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    ..."     \n\n\t\r'\".,;:!?-_()[]{}<>|#@$%^&*+=/\\~`",
    "é", "ß", "ø", "東", "京", "ñ", "🙂", "Ω", "ё", "\u00a0", "<|eot_id|>", "'s", "'LL",
  ];
  let state = seed >>> 0;
  let out = "";
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out += alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
  }
  return out;
}

const packageEncode = (text: string): number[] => llama3().encode(text, { bos: false, eos: false });

describe("tokenize (Llama 3 BPE)", () => {
  it("gives Llama 3's ids, without BOS or EOS", () => {
    // Reference ids from llama3-tokenizer-js's own test suite and README.
    expect(tokenize("Hello world!")).toEqual([9906, 1917, 0]);
    expect(tokenize("grabbed")).toEqual([59312, 2788]);
    expect(tokenize(" grabbed")).toEqual([30418]);
    expect(tokenize("           grabbed")).toEqual([1881, 30418]);
    expect(tokenize("\n")).toEqual([198]);
    expect(tokenize(" \n")).toEqual([720]);
    expect(tokenize("\ttabs\t\t\t\tout here")).toEqual([3324, 3518, 573, 14294, 1618]);
    expect(tokenize("ax\n####\nboo")).toEqual([710, 198, 71050, 34093]);
    expect(tokenize("镇")).toEqual([104643]);
    expect(tokenize("")).toEqual([]);
  });

  it("reads special-token strings as special tokens", () => {
    expect(tokenize("<|begin_of_text|><|eot_id|>")).toEqual([128000, 128009]);
    expect(tokenize("hi <|eot_id|> x")).toEqual([6151, 220, 128009, 865]);
    // Weir's chat headers are ordinary text.
    expect(tokenize("<|user|>\n")).toEqual([27, 91, 882, 91, 397]);
  });

  it("equals the package's encode on edge cases", () => {
    for (const text of EDGE_CASES) expect({ text, ids: tokenize(text) }).toEqual({ text, ids: packageEncode(text) });
  });

  it("equals the package's encode on random text", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const text = fuzz(seed, 1 + (seed % 97) * 7);
      expect({ seed, ids: tokenize(text) }).toEqual({ seed, ids: packageEncode(text) });
    }
  });

  it("gives the same ids on a repeat (the piece memo) and for a text seen in parts", () => {
    const first = tokenize(PROSE);
    expect(tokenize(PROSE)).toEqual(first);
    expect(tokenize(`${PROSE} ${PROSE}`)).toEqual(packageEncode(`${PROSE} ${PROSE}`));
  });

  it("round-trips through detokenize", () => {
    for (const text of [PROSE, ...EDGE_CASES.filter((t) => !t.includes("\ud800"))]) {
      expect(detokenize(tokenize(text))).toBe(text);
    }
    for (let seed = 1; seed <= 50; seed++) {
      const text = fuzz(seed, 300);
      expect(detokenize(tokenize(text))).toBe(text);
    }
  });

  it("detokenize writes special tokens as their strings and refuses ids outside the vocabulary", () => {
    expect(detokenize([9906, 128009])).toBe("Hello<|eot_id|>");
    expect(detokenize(Uint32Array.from([9906, 1917]))).toBe("Hello world");
    expect(detokenize([])).toBe("");
    expect(() => detokenize([128256])).toThrow(RangeError);
    expect(() => detokenize([-1])).toThrow(/index 0 is not a Llama 3 token id \(0 to 128255\)/);
    expect(() => detokenize([1, 2.5])).toThrow(/index 1/);
  });

  it("counts about 4.5 characters per token on English prose", () => {
    const charsPerToken = PROSE.length / countTokens(PROSE);
    expect(charsPerToken).toBeGreaterThan(4);
    expect(charsPerToken).toBeLessThan(6);
  });

  it("countTokens agrees with tokenize", () => {
    for (const s of [PROSE, ...EDGE_CASES]) expect(countTokens(s)).toBe(tokenize(s).length);
  });

  it("keeps a growing conversation's ids as a prefix (what multi-turn KV reuse needs)", () => {
    const turns = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "What is a weir?  " },
      { role: "assistant", content: "A low dam across a river.\n" },
      { role: "user", content: "Why build one? 42" },
      { role: "assistant", content: "" },
      { role: "user", content: "ok!!" },
    ];
    for (let n = 1; n < turns.length; n++) {
      const shorter = tokenize(flattenMessages(turns.slice(0, n)));
      const longer = tokenize(flattenMessages(turns.slice(0, n + 1)));
      expect(longer.slice(0, shorter.length)).toEqual(shorter);
    }
  });
});
