import { type CompiledRiskCategory, compileRiskCategories, type RiskCategory } from "./risk-lexicon.js";

/** A turn of the conversation as far as risk is concerned (newest last). */
export interface PastRisk {
  readonly risk: number;
  readonly riskRules: readonly string[];
}

export interface RiskAssessorOptions {
  readonly categories: readonly RiskCategory[];
  /** Each later turn multiplies a turn's risk by this (0 = no memory, 1 = never forgets). */
  readonly decay: number;
}

export interface RiskScore {
  /** max(this turn's weighted risk, carried) — see assess(). */
  readonly score: number;
  /**
   * The categories behind `score`: the ones that fired on this turn's text
   * (most severe first) or, when the carried risk is larger, the previous
   * turn's rules (so the memory of why survives the decay).
   */
  readonly rules: string[];
  /** This turn's own weighted risk. */
  readonly own: number;
  /** Risk carried from earlier turns after decay. */
  readonly carried: number;
}

/**
 * L2 risk scoring. This turn's risk is a noisy-or of the fired categories'
 * weights (1 − Π(1 − w)): two moderate categories together are riskier than
 * either, and the score stays ≤ 1. Risk is causal: the previous turn's score
 * (which already carried its own past) is multiplied by `decay` and the
 * turn's score is the larger of the two, so a dosage question keeps later
 * turns of that conversation guarded for a few turns, fading geometrically.
 */
export class RiskAssessor {
  readonly #categories: CompiledRiskCategory[];
  readonly #decay: number;

  constructor(options: RiskAssessorOptions) {
    this.#categories = compileRiskCategories(options.categories);
    this.#decay = options.decay;
  }

  assess(text: string, history: readonly PastRisk[]): RiskScore {
    const fired = this.#categories.filter((c) => c.patterns.some((p) => p.test(text)));
    fired.sort((a, b) => b.weight - a.weight);
    const own = 1 - fired.reduce((keep, c) => keep * (1 - c.weight), 1);
    const last = history[history.length - 1];
    const carried = last === undefined ? 0 : last.risk * this.#decay;
    const fromPast = carried > own;
    return {
      score: Math.max(own, carried),
      rules: fromPast ? [...(last?.riskRules ?? [])] : fired.map((c) => c.name),
      own,
      carried,
    };
  }
}
