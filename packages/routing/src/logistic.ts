/** A trained logistic regression over standardised dense features. */
export interface LogisticModel {
  readonly weights: number[];
  readonly intercept: number;
  /** Per-feature mean and scale applied before the weights (scale 1 for constant features). */
  readonly mean: number[];
  readonly scale: number[];
}

export interface LogisticOptions {
  /** L2 penalty on the weights (not the intercept), per example. Default 1e-2. */
  readonly l2?: number;
  readonly maxIterations?: number;
  /** Stop when the gradient's max-norm falls below this. */
  readonly tolerance?: number;
  /** Per-example weights (default 1). */
  readonly sampleWeights?: ArrayLike<number>;
}

/**
 * Fits P(y = 1 | x) = σ(w·z + b), z the standardised x, by minimising the
 * mean log loss + l2/2 ‖w‖² with L-BFGS (Armijo backtracking). Written here
 * because the workspace has no numeric library and this is all the QE needs.
 * `rows` is n × d row-major.
 */
export function fitLogistic(rows: Float64Array, d: number, labels: ArrayLike<number>, opts: LogisticOptions = {}): LogisticModel {
  const n = labels.length;
  if (rows.length !== n * d) throw new Error(`fitLogistic: ${rows.length} values are not ${n} rows of ${d}`);
  const l2 = opts.l2 ?? 1e-2;
  const sw = opts.sampleWeights;
  const { mean, scale } = standardiser(rows, n, d);
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[i * d + j] = (rows[i * d + j]! - mean[j]!) / scale[j]!;
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += sw ? sw[i]! : 1;

  // θ = [w_0..w_{d-1}, b]
  const loss = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      let s = theta[d]!;
      const off = i * d;
      for (let j = 0; j < d; j++) s += theta[j]! * z[off + j]!;
      const y = labels[i]!;
      const wi = (sw ? sw[i]! : 1) / wsum;
      // log(1 + e^s) − y s, computed stably.
      f += wi * (s > 0 ? s + Math.log1p(Math.exp(-s)) - y * s : Math.log1p(Math.exp(s)) - y * s);
      const g = wi * (sigmoid(s) - y);
      for (let j = 0; j < d; j++) grad[j]! += g * z[off + j]!;
      grad[d]! += g;
    }
    for (let j = 0; j < d; j++) {
      f += 0.5 * l2 * theta[j]! * theta[j]!;
      grad[j]! += l2 * theta[j]!;
    }
    return f;
  };
  const theta = lbfgs(loss, new Float64Array(d + 1), opts.maxIterations ?? 200, opts.tolerance ?? 1e-6);
  return { weights: Array.from(theta.subarray(0, d)), intercept: theta[d]!, mean, scale };
}

/** P(y = 1 | x) for one feature vector. */
export function predictLogistic(m: LogisticModel, x: ArrayLike<number>): number {
  let s = m.intercept;
  for (let j = 0; j < m.weights.length; j++) s += m.weights[j]! * ((x[j]! - m.mean[j]!) / m.scale[j]!);
  return sigmoid(s);
}

export function sigmoid(s: number): number {
  return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
}

function standardiser(rows: Float64Array, n: number, d: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += rows[i * d + j]! / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const x = rows[i * d + j]! - mean[j]!;
      scale[j]! += (x * x) / n;
    }
  }
  // A constant feature keeps scale 1 (its weight then stays 0 under the penalty).
  for (let j = 0; j < d; j++) scale[j] = scale[j]! > 1e-12 ? Math.sqrt(scale[j]!) : 1;
  return { mean, scale };
}

type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Limited-memory BFGS (m = 10) with backtracking line search. Returns the minimiser. */
function lbfgs(f: Objective, x0: Float64Array, maxIt: number, tol: number): Float64Array {
  const m = 10;
  const dim = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(dim);
  let fx = f(x, g);
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const rhos: number[] = [];
  const dir = new Float64Array(dim);
  const xNew = new Float64Array(dim);
  let gNew = new Float64Array(dim);
  for (let it = 0; it < maxIt; it++) {
    if (maxAbs(g) < tol) break;
    // Two-loop recursion: dir = −H g.
    dir.set(g);
    const alpha = new Array<number>(ss.length);
    for (let i = ss.length - 1; i >= 0; i--) {
      alpha[i] = rhos[i]! * dot(ss[i]!, dir);
      axpy(-alpha[i]!, ys[i]!, dir);
    }
    if (ss.length > 0) {
      const last = ss.length - 1;
      const gamma = dot(ss[last]!, ys[last]!) / dot(ys[last]!, ys[last]!);
      for (let j = 0; j < dim; j++) dir[j]! *= gamma;
    }
    for (let i = 0; i < ss.length; i++) {
      const beta = rhos[i]! * dot(ys[i]!, dir);
      axpy(alpha[i]! - beta, ss[i]!, dir);
    }
    for (let j = 0; j < dim; j++) dir[j] = -dir[j]!;
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (stale curvature): restart from steepest descent.
      ss.length = 0;
      ys.length = 0;
      rhos.length = 0;
      for (let j = 0; j < dim; j++) dir[j] = -g[j]!;
      slope = dot(g, dir);
    }
    let step = it === 0 ? Math.min(1, 1 / Math.max(1e-12, Math.sqrt(dot(g, g)))) : 1;
    let fNew = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      for (let j = 0; j < dim; j++) xNew[j] = x[j]! + step * dir[j]!;
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < fx) && !(fNew <= fx)) break;
    const s = new Float64Array(dim);
    const y = new Float64Array(dim);
    for (let j = 0; j < dim; j++) {
      s[j] = xNew[j]! - x[j]!;
      y[j] = gNew[j]! - g[j]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      ss.push(s);
      ys.push(y);
      rhos.push(1 / sy);
      if (ss.length > m) {
        ss.shift();
        ys.shift();
        rhos.shift();
      }
    }
    const improvement = fx - fNew;
    x = Float64Array.from(xNew);
    [g, gNew] = [gNew, g];
    fx = fNew;
    if (improvement >= 0 && improvement < 1e-12 * Math.max(1, Math.abs(fx))) break;
  }
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += a * x[i]!;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
