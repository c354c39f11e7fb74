import type { TierSpec } from "./stack-fixture.js";

// Two simulated tiers replaying the recorded GSM8K answers of real models, as
// `npm start`'s weir.yaml runs them (50× real time): the answer a client gets
// is the recorded answer of the model whose column the serving tier replays.
export const MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";
export const GPT4 = "gpt-4-1106-preview";

export function gsm8kReplayTiers(): TierSpec[] {
  return [
    {
      name: "small",
      replicas: 1,
      qeThreshold: 0.7,
      engine: "sim",
      model: "meta-llama/Llama-3.1-8B-Instruct",
      engineOptions: { preset: "llama-3.1-8b/h100", speedup: 50, replay: { dataset: "gsm8k", model: MIXTRAL } },
    },
    {
      name: "large",
      replicas: 1,
      qeThreshold: 0,
      engine: "sim",
      model: "meta-llama/Llama-3.1-70B-Instruct",
      engineOptions: { preset: "llama-3.1-70b/h100x4", speedup: 50, replay: { dataset: "gsm8k", model: GPT4 } },
    },
  ];
}
