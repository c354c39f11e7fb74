// MurmurHash3_x86_128 (Austin Appleby, public domain) over a run of 32-bit
// words, using only 32-bit integer arithmetic (Math.imul): fast in JS, no
// BigInt. The words are read as their little-endian bytes, so the result is
// exactly MurmurHash3_x86_128 of that byte string, reproducible in any
// language (e.g. Python: mmh3.hash64(data, seed, x64arch=False, signed=False)[0]
// equals lo + hi * 2^32 below).

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The first 64 bits of a MurmurHash3_x86_128 digest, as two unsigned 32-bit halves. */
export interface Hash64 {
  hi: number;
  lo: number;
}

/**
 * MurmurHash3_x86_128 of `words[start..end)` (4 little-endian bytes each),
 * writing the digest's first 64 bits (h1 = lo, h2 = hi) into `out`. Writing
 * into a caller-owned object keeps the hot path allocation-free.
 */
export function murmur3x86_128Words(
  words: ArrayLike<number>,
  start: number,
  end: number,
  seed: number,
  out: Hash64,
): void {
  let h1 = seed | 0;
  let h2 = seed | 0;
  let h3 = seed | 0;
  let h4 = seed | 0;
  const fullEnd = start + ((end - start) & ~3);
  let i = start;
  for (; i < fullEnd; i += 4) {
    let k1 = (words[i] ?? 0) | 0;
    let k2 = (words[i + 1] ?? 0) | 0;
    let k3 = (words[i + 2] ?? 0) | 0;
    let k4 = (words[i + 3] ?? 0) | 0;

    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;

    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;

    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;

    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }

  // Tail: 0 to 3 whole words (the byte-level tail cases 12, 8 and 4).
  const tail = end - i;
  if (tail >= 3) h3 ^= Math.imul(rotl(Math.imul((words[i + 2] ?? 0) | 0, C3), 17), C4);
  if (tail >= 2) h2 ^= Math.imul(rotl(Math.imul((words[i + 1] ?? 0) | 0, C2), 16), C3);
  if (tail >= 1) h1 ^= Math.imul(rotl(Math.imul((words[i] ?? 0) | 0, C1), 15), C2);

  // Finalization. The length is in bytes.
  const byteLength = (end - start) * 4;
  h1 ^= byteLength;
  h2 ^= byteLength;
  h3 ^= byteLength;
  h4 ^= byteLength;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  out.lo = h1 >>> 0;
  out.hi = h2 >>> 0;
}
