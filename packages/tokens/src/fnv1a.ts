// FNV-1a, the 32-bit variant, over a range of a string's UTF-16 code units.
// Used to turn a text piece into a token id without allocating a substring:
// the placeholder tokenizer only needs ids that are deterministic and spread
// out, not a cryptographic hash.

const FNV32_OFFSET_BASIS = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a (32-bit) of `text.slice(start, end)`, as an unsigned 32-bit integer. */
export function fnv1a32(text: string, start = 0, end = text.length): number {
  let h = FNV32_OFFSET_BASIS;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV32_PRIME);
  }
  return h >>> 0;
}
