import type { OutgoingHttpHeaders } from "node:http";
import type { CascadeInfo } from "@weir/proto";

/** The `weir` object added to OpenAI bodies: what the cascade did. */
export interface WeirSummary {
  tier: string;
  path: {
    tier: string;
    instance_id: string;
    qe_score: number | null;
    qe_threshold: number;
    accepted: boolean;
    cost_usd: number;
  }[];
  escalated: boolean;
  qe_score: number | null;
  cost_usd: number;
  route_reason: string;
  /** L2: the request's risk and the rules behind it (null when the router assessed none). */
  risk: { score: number; rules: string[]; overridden: boolean; carried: number } | null;
  /** L0: answered from the conversation's stored state without generation. */
  reused: boolean;
  /** How the per-request targets shaped the plan, or why they could not be met ("" when none were set). */
  targets_note: string;
  /** The streaming policy applied to judged rungs: "buffered" or "early". */
  streaming_policy: string;
}

export function weirSummary(info: CascadeInfo | undefined): WeirSummary | undefined {
  if (info === undefined) return undefined;
  return {
    tier: info.tier,
    path: info.path.map((s) => ({
      tier: s.tier,
      instance_id: s.instanceId,
      qe_score: s.qeScore ?? null,
      qe_threshold: s.qeThreshold,
      accepted: s.accepted,
      cost_usd: roundUsd(s.costUsd),
    })),
    escalated: info.escalated,
    qe_score: info.qeScore ?? null,
    cost_usd: roundUsd(info.costUsd),
    route_reason: info.routeReason,
    risk:
      info.risk === undefined
        ? null
        : { score: info.risk.score, rules: [...info.risk.rules], overridden: info.risk.overridden, carried: info.risk.carried },
    reused: info.reused,
    targets_note: info.targetsNote,
    streaming_policy: info.streamingPolicy,
  };
}

/** The same summary as x-weir-* headers, for clients that only see headers. */
export function weirHeaders(info: CascadeInfo | undefined): OutgoingHttpHeaders {
  if (info === undefined) return {};
  return {
    "x-weir-tier": info.tier,
    "x-weir-path": info.path.map((s) => s.tier).join(","),
    ...(info.qeScore === undefined ? {} : { "x-weir-qe-score": String(info.qeScore) }),
    "x-weir-cost-usd": String(roundUsd(info.costUsd)),
    "x-weir-escalated": String(info.escalated),
    ...(info.risk === undefined || info.risk.rules.length === 0 ? {} : { "x-weir-risk-rules": info.risk.rules.join(",") }),
    ...(info.risk === undefined ? {} : { "x-weir-risk-score": String(info.risk.score), "x-weir-risk-overridden": String(info.risk.overridden) }),
    "x-weir-reused": String(info.reused),
    ...(info.targetsNote === "" ? {} : { "x-weir-targets-note": headerSafe(info.targetsNote) }),
    ...(info.streamingPolicy === "" ? {} : { "x-weir-streaming": info.streamingPolicy }),
  };
}

/** Costs to 12 decimal places (a millionth of a micro-dollar): no float noise like 3.2000000000000003e-6. */
function roundUsd(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}

/** Header values must be printable ASCII: anything else (≥, →) is percent-encoded. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c));
}
