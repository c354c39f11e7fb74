// The report of a live run: the virtual mode's columns (same figure code),
// in model time (wall × speedup), with the measured wall-clock figures, the
// errors and who answered beside them, and every request's record.

import type { PlacementPolicyName } from "@weir/placement";
import type { DeploymentFigures } from "../bench-figures.js";
import type { LiveFigures } from "./live-figures.js";
import type { LiveRecord } from "./live-record.js";

/** One request in the report: enough to check tiers and errors after the fact. */
export interface CompactRecord {
  i: number;
  row: number;
  status: number;
  error?: string;
  tier?: string;
  path?: string[];
  escalated?: boolean;
  correct?: boolean;
  replayed?: boolean;
  tokens?: number;
  /** Wall ms. */
  sentMs: number;
  ttftMs?: number;
  e2eMs: number;
}

export interface LiveDeploymentResult {
  name: string;
  description: string;
  instances: string[];
  gpus: number;
  /** Model time (wall × speedup), comparable with --virtual. */
  figures: DeploymentFigures;
  live: Omit<LiveFigures, "model">;
  notes: string[];
  startupS: number;
  warmUpS: number;
  replayS: number;
  records: CompactRecord[];
}

export interface LiveBenchReport {
  mode: "live";
  /** The engines are @weir/sim in real time / speedup; every other service is real. */
  simulatedEngines: true;
  speedup: number;
  gpus: number;
  gpu: string;
  trace: { file: string; requests: number; rateScale: number; spanS: number; requestsPerSecond: number };
  dataset: { name: string; rows: number; note: string };
  artifacts: string;
  stats: string;
  prices: string;
  sloMs: number;
  minQuality: number;
  policy: PlacementPolicyName;
  seed: number;
  deadlineMs: number;
  weir?: { knob: string; quality: number; plannedDeployment: string[]; budget: string };
  deployments: LiveDeploymentResult[];
  target?: { throughputRatio: number; goodputRatio: number; accuracyKept: number; weirMeetsSlo: boolean; met: boolean; reading: string };
  wallClockS: number;
}

export function compactRecord(r: LiveRecord): CompactRecord {
  const o = r.outcome;
  const c: CompactRecord = { i: r.index, row: r.row, status: o.status, sentMs: round(r.sentMs), e2eMs: round(o.endMs) };
  if (o.error !== undefined) c.error = o.error;
  if (o.tier !== undefined) c.tier = o.tier;
  if (o.path !== undefined) c.path = o.path;
  if (o.escalated !== undefined) c.escalated = o.escalated;
  if (r.correct !== undefined) c.correct = r.correct;
  if (r.replayed !== undefined) c.replayed = r.replayed;
  if (o.completionTokens !== undefined) c.tokens = o.completionTokens;
  if (o.firstTokenMs !== undefined) c.ttftMs = round(o.firstTokenMs);
  return c;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
