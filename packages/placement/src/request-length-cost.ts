/** Weights of requestLengthCost (see length-group-planner-options.ts for defaults and where they come from). */
export interface RequestCostWeights {
  attentionTokens: number;
  decodeTokenWeight: number;
  kvReadTokens: number;
}

/**
 * The work a request brings to an instance, in token-equivalents of
 * prefill (one prompt token through the model = 1):
 *
 *   prefill = P × (1 + P / (2 × attentionTokens))
 *             P prompt tokens through the linear layers, plus attention to
 *             the prompt so far (≈ P/2 on average), which costs as much as
 *             the rest at attentionTokens of context;
 *   decode  = O × (decodeTokenWeight + (P + O/2) / kvReadTokens)
 *             O output tokens, each a step's share of the weight reads
 *             (decodeTokenWeight) plus reading its context's KV (P + O/2 on
 *             average), one token-equivalent per kvReadTokens of context.
 *
 *   cost(P, O) = prefill + decode
 *
 * The DP balances the sum of this over each group's requests per instance.
 */
export function requestLengthCost(promptTokens: number, outputTokens: number, w: RequestCostWeights): number {
  const P = Math.max(0, promptTokens);
  const O = Math.max(0, outputTokens);
  const prefill = P * (1 + P / (2 * Math.max(1, w.attentionTokens)));
  const decode = O * (w.decodeTokenWeight + (P + O / 2) / Math.max(1, w.kvReadTokens));
  return prefill + decode;
}
