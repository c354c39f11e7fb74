// Dense vector helpers on Float32Array / number arrays.

/** Scales `v` in place to unit L2 norm (a zero vector stays zero). Returns v. */
export function l2normalize<T extends Float32Array | Float64Array>(v: T): T {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
  }
  return v;
}

/** Dot product of `a` with row `row` of the row-major matrix `m` (row length a.length). */
export function dotRow(a: ArrayLike<number>, m: ArrayLike<number>, row: number): number {
  const d = a.length;
  const off = row * d;
  let s = 0;
  for (let i = 0; i < d; i++) s += a[i]! * m[off + i]!;
  return s;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}
