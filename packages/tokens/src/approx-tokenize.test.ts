import { describe, expect, it } from "vitest";
import { approxTokenize, countTokens } from "./approx-tokenize.js";
import { fnv1a32 } from "./fnv1a.js";

const PROSE =
  "In computer science, a cache is a hardware or software component that stores data so that " +
  "future requests for that data can be served faster; the data stored in a cache might be the " +
  "result of an earlier computation or a copy of data stored elsewhere. A cache hit occurs when " +
  "the requested data can be found in a cache, while a cache miss occurs when it cannot. Cache " +
  "hits are served by reading data from the cache, which is faster than recomputing a result or " +
  "reading from a slower data store; thus, the more requests that can be served from the cache, " +
  "the faster the system performs.";

describe("approxTokenize (placeholder)", () => {
  it("is deterministic and yields unsigned 32-bit ids", () => {
    const a = approxTokenize(PROSE);
    expect(a).toEqual(approxTokenize(PROSE));
    for (const id of a) expect(Number.isInteger(id) && id >= 0 && id <= 0xffff_ffff).toBe(true);
  });

  it("maps each piece to the FNV-1a hash of its text", () => {
    expect(approxTokenize("Hello, world!")).toEqual(
      ["Hello", ",", "world", "!"].map((p) => fnv1a32(p)),
    );
  });

  it("ignores whitespace and keeps case", () => {
    expect(approxTokenize("  a \n\t b  ")).toEqual(approxTokenize("a b"));
    expect(approxTokenize("")).toEqual([]);
    expect(approxTokenize("Cache")).not.toEqual(approxTokenize("cache"));
  });

  it("splits long words into 4-character pieces and numbers into 3-digit groups", () => {
    expect(approxTokenize("caches")).toHaveLength(1);
    expect(approxTokenize("internationalization")).toEqual(
      ["inte", "rnat", "iona", "liza", "tion"].map((p) => fnv1a32(p)),
    );
    expect(approxTokenize("1234567")).toEqual(["123", "456", "7"].map((p) => fnv1a32(p)));
    expect(approxTokenize("3.14")).toHaveLength(3);
  });

  it("gives each CJK character its own token", () => {
    expect(approxTokenize("日本語です")).toHaveLength(5);
    expect(approxTokenize("Tokyo東京")).toEqual(["Tokyo", "東", "京"].map((p) => fnv1a32(p)));
  });

  it("counts about chars/4 on English prose, like a BPE tokenizer", () => {
    const ratio = countTokens(PROSE) / (PROSE.length / 4);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
  });

  it("countTokens agrees with approxTokenize", () => {
    for (const s of [PROSE, "", "x", "a-b_c 12345 ???", "Überprüfungsausschuss 東京 🙂"]) {
      expect(countTokens(s)).toBe(approxTokenize(s).length);
    }
  });

  it("is a prefix tokenizer across whitespace: appending text keeps earlier ids", () => {
    const a = approxTokenize("The first turn.\n");
    const b = approxTokenize("The first turn.\nThe second turn.");
    expect(b.slice(0, a.length)).toEqual(a);
  });
});
