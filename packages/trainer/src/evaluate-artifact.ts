import type { LabelledDataset } from "@weir/datasets";
import { RoutingModel, type RoutingArtifact } from "@weir/routing";
import { countTokens } from "@weir/tokens";
import { evaluateModel, type EvalReport } from "./evaluate.js";
import { prepareData } from "./prepared-data.js";

/**
 * `weir eval`: the artifact's cascade replayed on any labelled data set of
 * the same format, with the artifact's own tier map and prices.
 */
export async function evaluateArtifact(
  artifact: RoutingArtifact,
  ds: LabelledDataset,
  opts: { beta?: number; countTokens?: (text: string) => number } = {},
): Promise<EvalReport> {
  const tiers = artifact.tiers.map((t) => ({
    name: t.name,
    model: t.model,
    inputPerMTok: t.pricing.inputPerMTok,
    outputPerMTok: t.pricing.outputPerMTok,
    priceSource: t.priceSource,
  }));
  const d = prepareData(ds, tiers, { countTokens: opts.countTokens ?? countTokens });
  return evaluateModel(new RoutingModel(artifact), d, opts.beta === undefined ? {} : { beta: opts.beta });
}
