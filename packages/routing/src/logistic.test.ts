import { describe, expect, it } from "vitest";
import { auc, expectedCalibrationError } from "./classifier-metrics.js";
import { seededRandom } from "./hash.js";
import { applyIsotonic, fitIsotonic } from "./isotonic.js";
import { fitLogistic, predictLogistic, sigmoid } from "./logistic.js";

/** y ~ Bernoulli(σ(2 x0 − x1 + 0.5)); x2 is noise. */
function synthetic(n: number, seed: number): { x: Float64Array; y: number[] } {
  const rand = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const x = new Float64Array(n * 3);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = gauss();
    const b = gauss();
    x.set([a, b, gauss() * 10 + 3], i * 3);
    y.push(rand() < sigmoid(2 * a - b + 0.5) ? 1 : 0);
  }
  return { x, y };
}

describe("logistic regression (L-BFGS) and isotonic calibration", () => {
  it("recovers the generating weights", () => {
    const { x, y } = synthetic(4000, 1);
    const m = fitLogistic(x, 3, y, { l2: 1e-4 });
    // Weights act on standardised features: divide back by the scale.
    expect(m.weights[0]! / m.scale[0]!).toBeCloseTo(2, 0);
    expect(m.weights[1]! / m.scale[1]!).toBeCloseTo(-1, 0);
    expect(Math.abs(m.weights[2]!)).toBeLessThan(0.1);
  });

  it("is well calibrated on fresh data after isotonic calibration on held-out scores", () => {
    const train = synthetic(3000, 2);
    const calib = synthetic(3000, 3);
    const test = synthetic(3000, 4);
    const m = fitLogistic(train.x, 3, train.y);
    // Distort the scores (a badly calibrated classifier), then calibrate.
    const distort = (p: number): number => p ** 3;
    const raw = (d: typeof calib): number[] => d.y.map((_, i) => distort(predictLogistic(m, d.x.subarray(i * 3, i * 3 + 3))));
    const cal = fitIsotonic(raw(calib), calib.y, 20);
    const rawTest = raw(test);
    const probs = rawTest.map((s) => applyIsotonic(cal, s));
    expect(expectedCalibrationError(rawTest, test.y)).toBeGreaterThan(0.1);
    expect(expectedCalibrationError(probs, test.y)).toBeLessThan(0.04);
    // Calibration is monotone: it keeps the ranking (AUC) up to ties.
    expect(auc(probs, test.y)).toBeGreaterThan(auc(rawTest, test.y) - 0.01);
    expect(cal.y.every((v, i) => i === 0 || v >= cal.y[i - 1]!)).toBe(true);
  });

  it("isotonic regression pools violators", () => {
    const cal = fitIsotonic([1, 2, 3, 4], [0, 1, 0, 1]);
    expect(cal.y).toEqual([0, 0.5, 1]);
    expect(applyIsotonic(cal, 0)).toBe(0);
    expect(applyIsotonic(cal, 10)).toBe(1);
  });
});
