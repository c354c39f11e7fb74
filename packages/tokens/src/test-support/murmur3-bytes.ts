// A straight byte-at-a-time transcription of MurmurHash3_x86_128 from
// SMHasher's MurmurHash3.cpp, for tests only: it checks itself against
// SMHasher's published verification value, then vouches for the fast
// word-based implementation in ../murmur3.ts.

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

/** The full 128-bit digest as four unsigned 32-bit words h1..h4. */
export function murmur3x86_128Bytes(bytes: Uint8Array, seed: number): [number, number, number, number] {
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const c3 = 0x38b34ae5;
  const c4 = 0xa1e38b93;
  const b = (i: number): number => bytes[i] ?? 0;
  const word = (i: number): number => b(i) | (b(i + 1) << 8) | (b(i + 2) << 16) | (b(i + 3) << 24);
  let h1 = seed | 0;
  let h2 = seed | 0;
  let h3 = seed | 0;
  let h4 = seed | 0;
  const len = bytes.length;
  const nblocks = len >>> 4;
  for (let i = 0; i < nblocks; i++) {
    let k1 = word(i * 16);
    let k2 = word(i * 16 + 4);
    let k3 = word(i * 16 + 8);
    let k4 = word(i * 16 + 12);
    k1 = Math.imul(k1, c1); k1 = rotl(k1, 15); k1 = Math.imul(k1, c2); h1 ^= k1;
    h1 = rotl(h1, 19); h1 = (h1 + h2) | 0; h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(k2, c2); k2 = rotl(k2, 16); k2 = Math.imul(k2, c3); h2 ^= k2;
    h2 = rotl(h2, 17); h2 = (h2 + h3) | 0; h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(k3, c3); k3 = rotl(k3, 17); k3 = Math.imul(k3, c4); h3 ^= k3;
    h3 = rotl(h3, 15); h3 = (h3 + h4) | 0; h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(k4, c4); k4 = rotl(k4, 18); k4 = Math.imul(k4, c1); h4 ^= k4;
    h4 = rotl(h4, 13); h4 = (h4 + h1) | 0; h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }
  const t = nblocks * 16;
  const rest = len & 15;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  let k4 = 0;
  if (rest >= 13) {
    for (let j = rest - 1; j >= 12; j--) k4 ^= b(t + j) << (8 * (j - 12));
    k4 = Math.imul(k4, c4); k4 = rotl(k4, 18); k4 = Math.imul(k4, c1); h4 ^= k4;
  }
  if (rest >= 9) {
    for (let j = Math.min(rest, 12) - 1; j >= 8; j--) k3 ^= b(t + j) << (8 * (j - 8));
    k3 = Math.imul(k3, c3); k3 = rotl(k3, 17); k3 = Math.imul(k3, c4); h3 ^= k3;
  }
  if (rest >= 5) {
    for (let j = Math.min(rest, 8) - 1; j >= 4; j--) k2 ^= b(t + j) << (8 * (j - 4));
    k2 = Math.imul(k2, c2); k2 = rotl(k2, 16); k2 = Math.imul(k2, c3); h2 ^= k2;
  }
  if (rest >= 1) {
    for (let j = Math.min(rest, 4) - 1; j >= 0; j--) k1 ^= b(t + j) << (8 * j);
    k1 = Math.imul(k1, c1); k1 = rotl(k1, 15); k1 = Math.imul(k1, c2); h1 ^= k1;
  }
  h1 ^= len; h2 ^= len; h3 ^= len; h4 ^= len;
  h1 = (h1 + h2) | 0; h1 = (h1 + h3) | 0; h1 = (h1 + h4) | 0;
  h2 = (h2 + h1) | 0; h3 = (h3 + h1) | 0; h4 = (h4 + h1) | 0;
  h1 = fmix(h1); h2 = fmix(h2); h3 = fmix(h3); h4 = fmix(h4);
  h1 = (h1 + h2) | 0; h1 = (h1 + h3) | 0; h1 = (h1 + h4) | 0;
  h2 = (h2 + h1) | 0; h3 = (h3 + h1) | 0; h4 = (h4 + h1) | 0;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
