// The easy entry point: a simulated engine from a preset name and a few knobs.

import { type SimInstanceOptions, resolveInstanceConfig } from "./instance-config.js";
import type { OutputLengthDistribution, OutputSource } from "./output-text.js";
import { SimEngine } from "./sim-engine.js";
import type { TextTokenizer } from "./tokenized-text.js";

export interface SimEngineOptions extends SimInstanceOptions {
  /** Simulated ms per wall ms: 10 runs ten times faster than the modelled GPU. Default 1. */
  speedup?: number | undefined;
  /** Answers for prompts (e.g. a dataset replay); undefined → deterministic filler. */
  outputSource?: OutputSource | undefined;
  /** Length distribution of filler answers. Default mean 256, max 2048. */
  outputTokens?: OutputLengthDistribution | undefined;
  /** Text ⇄ ids. Default: Llama 3 BPE (@weir/tokens). */
  tokenizer?: TextTokenizer | undefined;
}

/** A SimEngine for the model-worker, e.g. createSimEngine({ preset: "llama-3.1-8b/h100", speedup: 10 }). */
export function createSimEngine(options: SimEngineOptions): SimEngine {
  return new SimEngine({
    config: resolveInstanceConfig(options),
    driver: { speedup: options.speedup },
    outputSource: options.outputSource,
    outputTokens: options.outputTokens,
    tokenizer: options.tokenizer,
  });
}
