import { ErrorCode, WeirError } from "@weir/errors";

/** judge.shadow's recalibration knobs. */
export interface RecalibrationSettings {
  /** The acceptance quality to hold: the share of accepted answers the next tier agrees with (0..1). */
  readonly targetQuality: number;
  /** Shadow samples a (tier, cluster) needs since its last evaluation before its threshold may move. */
  readonly minSamples: number;
  /** Largest change of a threshold in one update (0..1). */
  readonly maxStep: number;
  /** No move while |target − agreement| is within this (default 0.02): noise should not make thresholds wander. */
  readonly deadband?: number;
}

/** What one shadow sample did to its key's threshold. */
export interface RecalibrationResult {
  readonly key: string;
  readonly threshold: number;
  readonly updated: boolean;
  /** Agreement rate of the window that was evaluated (undefined while still collecting). */
  readonly agreement: number | undefined;
  /** Samples in the current window after this one (0 right after an evaluation). */
  readonly pending: number;
}

interface KeyState {
  threshold: number;
  samples: number;
  agreements: number;
}

/**
 * L4 online threshold recalibration, one state per (tier, cluster) key.
 * Samples collect in a tumbling window of minSamples; when it is full the
 * window's agreement rate is compared with targetQuality: below it the
 * threshold rises (accept less, escalate more), above it the threshold falls
 * (the judge was stricter than it needs to be), by the gap, capped at maxStep,
 * and the window restarts. So no threshold moves before minSamples samples,
 * and none moves by more than maxStep per minSamples samples.
 */
export class ThresholdRecalibrator {
  readonly settings: Required<RecalibrationSettings>;
  readonly #keys = new Map<string, KeyState>();

  constructor(settings: RecalibrationSettings) {
    const s = { deadband: 0.02, ...settings };
    check(s.targetQuality >= 0 && s.targetQuality <= 1, "judge.shadow.targetQuality", s.targetQuality, "a probability from 0 to 1");
    check(Number.isInteger(s.minSamples) && s.minSamples >= 1, "judge.shadow.minSamples", s.minSamples, "a whole number ≥ 1");
    check(s.maxStep > 0 && s.maxStep <= 1, "judge.shadow.maxStep", s.maxStep, "a number in (0, 1]");
    check(s.deadband >= 0 && s.deadband < 1, "deadband", s.deadband, "a number in [0, 1)");
    this.settings = s;
  }

  /** The recalibrated threshold of a key, undefined until it has one of its own. */
  threshold(key: string): number | undefined {
    return this.#keys.get(key)?.threshold;
  }

  /** Every key's current threshold (for publishing a snapshot). */
  entries(): [string, number][] {
    return [...this.#keys].map(([k, s]) => [k, s.threshold]);
  }

  /**
   * Records one shadow sample. `current` is the threshold in force when the
   * answer was accepted: a key's first sample starts from it.
   */
  record(key: string, agree: boolean, current: number): RecalibrationResult {
    let st = this.#keys.get(key);
    if (st === undefined) {
      st = { threshold: clamp01(current), samples: 0, agreements: 0 };
      this.#keys.set(key, st);
    }
    st.samples++;
    if (agree) st.agreements++;
    if (st.samples < this.settings.minSamples) {
      return { key, threshold: st.threshold, updated: false, agreement: undefined, pending: st.samples };
    }
    const agreement = st.agreements / st.samples;
    st.samples = 0;
    st.agreements = 0;
    const gap = this.settings.targetQuality - agreement;
    if (Math.abs(gap) <= this.settings.deadband) {
      return { key, threshold: st.threshold, updated: false, agreement, pending: 0 };
    }
    const step = Math.max(-this.settings.maxStep, Math.min(this.settings.maxStep, gap));
    const next = clamp01(st.threshold + step);
    const updated = next !== st.threshold;
    st.threshold = next;
    return { key, threshold: next, updated, agreement, pending: 0 };
  }
}

/** Clamped to 0..1 and rounded to 4 decimals: repeated steps must not accumulate float noise (0.8500000000000001) in KV and plans. */
function clamp01(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1e4) / 1e4;
}

function check(ok: boolean, field: string, value: number, want: string): void {
  if (!ok || Number.isNaN(value)) {
    throw new WeirError(ErrorCode.FAILED_PRECONDITION, `${field} is ${value}: use ${want}`, { field });
  }
}
