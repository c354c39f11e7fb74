import { WeirError } from "@weir/errors";
import type { ModelInfo } from "@weir/proto";

/** A model as GET /v1/models lists it, with Weir's own details under `weir`. */
export function modelObject(m: ModelInfo, created: number): object {
  return {
    id: m.id,
    object: "model",
    created,
    owned_by: "weir",
    weir: {
      kind: m.kind,
      served_model: m.servedModel,
      input_price_per_mtok: m.inputPricePerMtok,
      output_price_per_mtok: m.outputPricePerMtok,
    },
  };
}

export function modelList(models: readonly ModelInfo[], created: number): object {
  return { object: "list", data: models.map((m) => modelObject(m, created)) };
}

/** The model named `id`, or NOT_FOUND (model_not_found) listing the real ones. */
export function findModel(models: readonly ModelInfo[], id: string): ModelInfo {
  const found = models.find((m) => m.id === id);
  if (found !== undefined) return found;
  throw WeirError.notFound(
    `the model "${id}" does not exist: use one of ${models.map((m) => `"${m.id}"`).join(", ")}`,
    "model",
  );
}
