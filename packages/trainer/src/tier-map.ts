/** Which dataset model plays which tier, and what the tier costs. */
export interface TierMapEntry {
  readonly name: string;
  /** A model column of the labelled data. */
  readonly model: string;
  /** USD per million input / output tokens. */
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  /** Where the prices come from. */
  readonly priceSource: string;
}

export const MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";
export const GPT4 = "gpt-4-1106-preview";

/**
 * The default two tiers of the RouteLLM data. Prices as published in 2024;
 * they change, so pass your own with --tier when they matter.
 */
export const DEFAULT_TIER_MAP: readonly TierMapEntry[] = [
  {
    name: "small",
    model: MIXTRAL,
    inputPerMTok: 0.6,
    outputPerMTok: 0.6,
    priceSource: "Together AI serverless price for Mixtral-8x7B-Instruct-v0.1, $0.60 per 1M input and output tokens (2024)",
  },
  {
    name: "large",
    model: GPT4,
    inputPerMTok: 10,
    outputPerMTok: 30,
    priceSource: "OpenAI price for gpt-4-1106-preview (GPT-4 Turbo), $10 per 1M input and $30 per 1M output tokens (2024)",
  },
];

/**
 * Parses one --tier value: `name=model:inputPerMTok:outputPerMTok`, e.g.
 * `small=mistralai/Mixtral-8x7B-Instruct-v0.1:0.6:0.6`. The model may contain
 * ":" (the prices are the last two fields).
 */
export function parseTierArg(arg: string): TierMapEntry {
  const eq = arg.indexOf("=");
  const parts = eq < 0 ? [] : arg.slice(eq + 1).split(":");
  const out = parts.length >= 3 ? Number(parts.at(-1)) : Number.NaN;
  const inp = parts.length >= 3 ? Number(parts.at(-2)) : Number.NaN;
  const name = arg.slice(0, Math.max(0, eq));
  const model = parts.slice(0, -2).join(":");
  if (!/^[a-z0-9-]+$/.test(name) || model === "" || !(inp >= 0) || !(out >= 0)) {
    throw new Error(`--tier ${JSON.stringify(arg)} is not name=model:inputPerMTok:outputPerMTok, e.g. small=${MIXTRAL}:0.6:0.6`);
  }
  return { name, model, inputPerMTok: inp, outputPerMTok: out, priceSource: "given on the command line (--tier)" };
}

/** Orders tiers cheapest first (by input + output price), the ladder order. */
export function ladderOrder(tiers: readonly TierMapEntry[]): TierMapEntry[] {
  return [...tiers].sort((a, b) => a.inputPerMTok + a.outputPerMTok - (b.inputPerMTok + b.outputPerMTok));
}
