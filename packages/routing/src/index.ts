// Route plans and quality scores. Both policies here are PLACEHOLDERS for the
// platform issue; the routing issue replaces them with a learned router and a
// trained quality estimator behind the same method shapes.
export { AUTO_MODEL, type LadderTier } from "./ladder-tier.js";
export {
  STATIC_LADDER_POLICY,
  StaticLadderRouter,
  type StaticLadderRouterOptions,
} from "./static-ladder-router.js";
export {
  PLACEHOLDER_SCORER,
  PlaceholderJudge,
  PlaceholderScores,
  type PlaceholderJudgeOptions,
} from "./placeholder-judge.js";
