// The outer level: thresholds × deployment (see plan-cascade.ts).
export { type CascadeKnob, defaultKnobs, distinctBetas, singleTierKnobs, spreadPick } from "./cascade-knob.js";
export { type CascadeOutcome, cascadeOutcome } from "./cascade-outcome.js";
export { type LatencyQuality, paretoFront } from "./pareto-front.js";
export { type CascadeCandidate, type CascadePlanResult, type PlanCascadeInput, planCascade } from "./plan-cascade.js";
export { type ScoredCascade, scoreCascade } from "./scored-cascade.js";
export { tchebycheffChoices, weightSweep } from "./tchebycheff.js";
export { DEFAULT_TIER_STAND_INS, standInsFor } from "./tier-stand-ins.js";
