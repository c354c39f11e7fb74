import { ReplayIndex, createReplayOutputSource, loadGsm8k, loadMmlu, type OutputSource } from "@weir/datasets";

/** Which recorded answers to replay: a RouteLLM dataset and one of its model columns. */
export interface ReplaySpec {
  dataset: "gsm8k" | "mmlu";
  model: string;
}

const DATASETS = { gsm8k: loadGsm8k, mmlu: loadMmlu } as const;

/** "gsm8k:gpt-4-1106-preview" → { dataset: "gsm8k", model: "gpt-4-1106-preview" }; a sentence when it is not one. */
export function parseReplaySpec(spec: string): ReplaySpec {
  const colon = spec.indexOf(":");
  const dataset = colon < 0 ? spec : spec.slice(0, colon);
  const model = colon < 0 ? "" : spec.slice(colon + 1);
  if ((dataset !== "gsm8k" && dataset !== "mmlu") || model === "") {
    throw new Error(
      `--replay takes <dataset>:<model column>, with dataset gsm8k or mmlu, e.g. gsm8k:mistralai/Mixtral-8x7B-Instruct-v0.1 (got "${spec}")`,
    );
  }
  return { dataset, model };
}

/**
 * The dataset's recorded answers of `spec.model` as an OutputSource: a
 * prompt that is one of the dataset's questions gets that model's real
 * answer; any other prompt gets the engine's own filler. Throws, naming the
 * model columns there are, when the dataset has no such model.
 */
export function replayOutputSource(spec: ReplaySpec): OutputSource {
  return createReplayOutputSource(new ReplayIndex(DATASETS[spec.dataset](), spec.model));
}
