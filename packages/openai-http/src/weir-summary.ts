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
      cost_usd: s.costUsd,
    })),
    escalated: info.escalated,
    qe_score: info.qeScore ?? null,
    cost_usd: info.costUsd,
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
    "x-weir-cost-usd": String(info.costUsd),
    "x-weir-escalated": String(info.escalated),
  };
}
