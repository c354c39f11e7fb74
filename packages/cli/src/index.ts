export * from "./stack/index.js";
export {
  applyDeploymentPlan,
  clearDeploymentPlan,
  deploymentPlanFor,
  formatDeploymentPlan,
  idleTierWarning,
  presetId,
  readDeploymentPlan,
  type ApplyPlanOptions,
  type PlannedDeployment,
  type PlannedTier,
} from "./plan/apply-plan.js";
