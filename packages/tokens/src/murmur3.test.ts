import { describe, expect, it } from "vitest";
import { type Hash64, murmur3x86_128Words } from "./murmur3.js";
import { murmur3x86_128Bytes } from "./test-support/murmur3-bytes.js";

describe("murmur3x86_128Words", () => {
  it("the byte-level reference passes SMHasher's verification test (0xB3ECE62A)", () => {
    // SMHasher VerificationTest: hash keys {}, {0}, {0,1}, … {0..254} with seed
    // 256 - len, concatenate the digests, hash that with seed 0, read the
    // first 4 bytes little-endian.
    const key = new Uint8Array(256);
    const digests = new Uint8Array(16 * 256);
    const view = new DataView(digests.buffer);
    for (let i = 0; i < 256; i++) {
      key[i] = i;
      const h = murmur3x86_128Bytes(key.subarray(0, i), 256 - i);
      h.forEach((word, j) => view.setUint32(i * 16 + j * 4, word, true));
    }
    expect(murmur3x86_128Bytes(digests, 0)[0]).toBe(0xb3ece62a);
  });

  it("equals the byte-level reference on every word count and seed", () => {
    const out: Hash64 = { hi: 0, lo: 0 };
    for (let n = 0; n < 40; n++) {
      const words = Uint32Array.from({ length: n }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) ^ n) >>> 0);
      const bytes = new Uint8Array(words.buffer.slice(0));
      for (const seed of [0, 1, 0xdeadbeef]) {
        murmur3x86_128Words(words, 0, n, seed, out);
        const [h1, h2] = murmur3x86_128Bytes(bytes, seed);
        expect({ n, seed, lo: out.lo, hi: out.hi }).toEqual({ n, seed, lo: h1, hi: h2 });
      }
    }
  });

  it("hashes a sub-range as if it were the whole input", () => {
    const words = [7, 1, 2, 3, 4, 5, 9];
    const a: Hash64 = { hi: 0, lo: 0 };
    const b: Hash64 = { hi: 0, lo: 0 };
    murmur3x86_128Words(words, 1, 6, 0, a);
    murmur3x86_128Words([1, 2, 3, 4, 5], 0, 5, 0, b);
    expect(a).toEqual(b);
  });
});
