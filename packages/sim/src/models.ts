// The models the simulator knows: the shape numbers are the models' Hugging
// Face config.json values; parameter counts are the model cards'.

export interface MixtureOfExperts {
  /** Experts per MoE layer (config.json num_local_experts). */
  readonly experts: number;
  /** Experts each token is routed to (config.json num_experts_per_tok). */
  readonly expertsPerToken: number;
  /** Parameters in all experts of all layers together. */
  readonly expertParams: number;
}

export interface ModelSpec {
  /** Preset key, e.g. "llama-3.1-8b". */
  readonly id: string;
  /** Hugging Face repository id. */
  readonly name: string;
  readonly layers: number;
  readonly hiddenSize: number;
  readonly attentionHeads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  /** All parameters (weights held in memory). */
  readonly totalParams: number;
  /** Longest context the model serves (config.json max_position_embeddings). */
  readonly maxModelLen: number;
  readonly moe?: MixtureOfExperts;
}

/** meta-llama/Llama-3.1-8B-Instruct. */
export const LLAMA_3_1_8B: ModelSpec = {
  id: "llama-3.1-8b",
  name: "meta-llama/Llama-3.1-8B-Instruct",
  // config.json: num_hidden_layers 32, hidden_size 4096, num_attention_heads 32,
  // num_key_value_heads 8, head_dim 4096/32 = 128, max_position_embeddings 131072.
  layers: 32,
  hiddenSize: 4096,
  attentionHeads: 32,
  kvHeads: 8,
  headDim: 128,
  // Model card: 8.03B parameters.
  totalParams: 8.03e9,
  maxModelLen: 131_072,
};

/** meta-llama/Llama-3.1-70B-Instruct. */
export const LLAMA_3_1_70B: ModelSpec = {
  id: "llama-3.1-70b",
  name: "meta-llama/Llama-3.1-70B-Instruct",
  // config.json: num_hidden_layers 80, hidden_size 8192, num_attention_heads 64,
  // num_key_value_heads 8, head_dim 8192/64 = 128, max_position_embeddings 131072.
  layers: 80,
  hiddenSize: 8192,
  attentionHeads: 64,
  kvHeads: 8,
  headDim: 128,
  // Model card: 70.6B parameters.
  totalParams: 70.6e9,
  maxModelLen: 131_072,
};

/** mistralai/Mixtral-8x7B-Instruct-v0.1. */
export const MIXTRAL_8X7B: ModelSpec = {
  id: "mixtral-8x7b",
  name: "mistralai/Mixtral-8x7B-Instruct-v0.1",
  // config.json: num_hidden_layers 32, hidden_size 4096, num_attention_heads 32,
  // num_key_value_heads 8, head_dim 128, max_position_embeddings 32768.
  layers: 32,
  hiddenSize: 4096,
  attentionHeads: 32,
  kvHeads: 8,
  headDim: 128,
  // Mistral AI: 46.7B total parameters, 12.9B used per token.
  totalParams: 46.7e9,
  maxModelLen: 32_768,
  moe: {
    // config.json: num_local_experts 8, num_experts_per_tok 2.
    experts: 8,
    expertsPerToken: 2,
    // 32 layers × 8 experts × 3 matrices × hidden 4096 × intermediate_size 14336
    // = 45.1B; the other 1.6B (attention, embeddings) are shared. Active per
    // token: 1.6B + 45.1B × 2/8 = 12.9B, Mistral's figure.
    expertParams: 32 * 8 * 3 * 4096 * 14_336,
  },
};

export const MODELS: Readonly<Record<string, ModelSpec>> = {
  "llama-3.1-8b": LLAMA_3_1_8B,
  "llama-3.1-70b": LLAMA_3_1_70B,
  "mixtral-8x7b": MIXTRAL_8X7B,
};

/** Parameters that take part in one token's forward pass. */
export function activeParams(model: ModelSpec): number {
  if (model.moe === undefined) return model.totalParams;
  const { experts, expertsPerToken, expertParams } = model.moe;
  return model.totalParams - expertParams + (expertParams * expertsPerToken) / experts;
}

/**
 * Fraction of all expert weights that a step with `tokens` tokens reads, with
 * each token routed to expertsPerToken of the experts uniformly at random: an
 * expert is untouched with probability (1 − k/E)^tokens. A batch-1 decode reads
 * k/E of the experts; a large prefill reads all of them.
 */
export function expertFractionRead(moe: MixtureOfExperts, tokens: number): number {
  return 1 - (1 - moe.expertsPerToken / moe.experts) ** tokens;
}
