import { createHash } from "node:crypto";
import type { LabelledDataset } from "@weir/datasets";
import type { TierMapEntry } from "./tier-map.js";

/**
 * Labelled rows laid out for the trainer's loops: one entry per (row, tier)
 * in flat arrays, tiers cheapest first, with each answer's cost in USD.
 */
export interface PreparedData {
  readonly n: number;
  /** Tiers, cheapest first. */
  readonly tiers: readonly TierMapEntry[];
  readonly ids: readonly string[];
  readonly prompts: readonly string[];
  /** Data source per row ("gsm8k", "mmlu/anatomy", …). */
  readonly sources: readonly string[];
  /** correct[i * T + t]: 1 when tier t's recorded answer to row i was correct. */
  readonly correct: Uint8Array;
  /** responses[i * T + t]: the recorded answer text, "" when the data has none. */
  readonly responses: readonly string[];
  /** 1 when row i has answer text for its non-final tiers (what the QE reads). */
  readonly hasText: Uint8Array;
  /** costUsd[i * T + t]: what answering row i on tier t costs. */
  readonly costUsd: Float64Array;
}

export interface PrepareOptions {
  /** Token counter for prompts and answers (the serving tokenizer). */
  readonly countTokens: (text: string) => number;
  /**
   * Output tokens assumed when the data has no answer text (MMLU: the
   * recorded answer is one letter). Default 1.
   */
  readonly outputTokensWithoutText?: number;
}

export function prepareData(ds: LabelledDataset, tiers: readonly TierMapEntry[], opts: PrepareOptions): PreparedData {
  const missing = tiers.filter((t) => !ds.models.includes(t.model));
  if (missing.length > 0) {
    throw new Error(
      `dataset ${ds.name} has no column for ${missing.map((t) => `"${t.model}" (tier ${t.name})`).join(", ")}; its models are ${ds.models.map((m) => `"${m}"`).join(", ")}: fix the --tier map`,
    );
  }
  const T = tiers.length;
  const n = ds.rows.length;
  const correct = new Uint8Array(n * T);
  const responses: string[] = new Array<string>(n * T);
  const hasText = new Uint8Array(n);
  const costUsd = new Float64Array(n * T);
  const outNoText = opts.outputTokensWithoutText ?? 1;
  ds.rows.forEach((row, i) => {
    const inTok = opts.countTokens(row.prompt);
    let text = true;
    tiers.forEach((tier, t) => {
      correct[i * T + t] = row.correct[tier.model] === true ? 1 : 0;
      const r = row.response[tier.model];
      responses[i * T + t] = r ?? "";
      if (r === undefined && t < T - 1) text = false;
      const outTok = r === undefined ? outNoText : opts.countTokens(r);
      costUsd[i * T + t] = (inTok * tier.inputPerMTok + outTok * tier.outputPerMTok) / 1e6;
    });
    hasText[i] = text ? 1 : 0;
  });
  return {
    n,
    tiers,
    ids: ds.rows.map((r) => r.id),
    prompts: ds.rows.map((r) => r.prompt),
    sources: ds.rows.map((r) => r.source ?? ds.name),
    correct,
    responses,
    hasText,
    costUsd,
  };
}

/** The rows `idx` of `d`, as their own PreparedData. */
export function subset(d: PreparedData, idx: readonly number[]): PreparedData {
  const T = d.tiers.length;
  const correct = new Uint8Array(idx.length * T);
  const costUsd = new Float64Array(idx.length * T);
  const responses: string[] = new Array<string>(idx.length * T);
  const hasText = new Uint8Array(idx.length);
  idx.forEach((i, j) => {
    hasText[j] = d.hasText[i]!;
    for (let t = 0; t < T; t++) {
      correct[j * T + t] = d.correct[i * T + t]!;
      costUsd[j * T + t] = d.costUsd[i * T + t]!;
      responses[j * T + t] = d.responses[i * T + t]!;
    }
  });
  return {
    n: idx.length,
    tiers: d.tiers,
    ids: idx.map((i) => d.ids[i]!),
    prompts: idx.map((i) => d.prompts[i]!),
    sources: idx.map((i) => d.sources[i]!),
    correct,
    responses,
    hasText,
    costUsd,
  };
}

/** sha256 over the rows (id, labels, answers) in id order: names the training data in the artifact. */
export function dataHash(ds: LabelledDataset): string {
  const h = createHash("sha256");
  const rows = [...ds.rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.prompt < b.prompt ? -1 : 1));
  for (const r of rows) {
    h.update(r.id).update("\0").update(r.prompt).update("\0");
    for (const m of ds.models) h.update(m).update(r.correct[m] ? "1" : "0").update(r.response[m] ?? "").update("\0");
  }
  return `sha256:${h.digest("hex")}`;
}

/** Mean of tier t's correctness over the rows. */
export function tierAccuracy(d: PreparedData, t: number): number {
  const T = d.tiers.length;
  let s = 0;
  for (let i = 0; i < d.n; i++) s += d.correct[i * T + t]!;
  return d.n === 0 ? 0 : s / d.n;
}

/** Mean of tier t's cost over the rows, USD. */
export function tierMeanCost(d: PreparedData, t: number): number {
  const T = d.tiers.length;
  let s = 0;
  for (let i = 0; i < d.n; i++) s += d.costUsd[i * T + t]!;
  return d.n === 0 ? 0 : s / d.n;
}
