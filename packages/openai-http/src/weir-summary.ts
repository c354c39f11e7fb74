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
  };
}

/** Costs to 12 decimal places (a millionth of a micro-dollar): no float noise like 3.2000000000000003e-6. */
function roundUsd(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}
