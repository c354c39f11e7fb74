import { create } from "@bufbuild/protobuf";
import type { WeirConfig } from "@weir/config";
import { ModelInfoSchema, type ModelInfo } from "@weir/proto";

/** The model id that routes through the cascade. */
export const AUTO_MODEL = "weir-auto";

/** `weir-auto` plus one entry per tier (naming a tier bypasses routing). */
export function listModels(config: WeirConfig): ModelInfo[] {
  return [
    create(ModelInfoSchema, { id: AUTO_MODEL, kind: "cascade", servedModel: config.tiers.map((t) => t.name).join(" → ") }),
    ...config.tiers.map((t) =>
      create(ModelInfoSchema, {
        id: t.name,
        kind: "tier",
        servedModel: t.model,
        inputPricePerMtok: t.pricing.inputPerMTok,
        outputPricePerMtok: t.pricing.outputPerMTok,
      }),
    ),
  ];
}
