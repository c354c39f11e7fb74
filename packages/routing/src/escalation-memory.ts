import type { ConversationTurnView } from "./conversation-view.js";

export interface EscalationMemoryOptions {
  /** How many later turns start at the escalated tier (0: no memory). */
  readonly turns: number;
  /** A risk-driven escalation is forgotten early once the turn's risk is below this. */
  readonly riskBelow: number;
  /** The risk threshold: a stored turn at or above it escalated because of risk, not difficulty. */
  readonly riskThreshold: number;
}

export interface RememberedEscalation {
  /** The tier the conversation escalated to. */
  readonly tier: string;
  /** The request that escalated. */
  readonly requestId: string;
  /** Turns between that one and this (1 = the previous turn). */
  readonly turnsAgo: number;
}

/**
 * Escalation memory: a conversation that needed a stronger tier probably
 * still needs it on its next turns, so they start there instead of paying
 * for a rejected cheap answer first. The memory lasts `turns` turns after
 * the most recent escalation. When that escalation was risk-driven it also
 * ends as soon as this turn's (decayed) risk falls below riskBelow: the
 * reason for it is gone. Difficulty escalations have no such signal at the
 * router, so they run for the configured number of turns.
 */
export function rememberedEscalation(
  turns: readonly ConversationTurnView[],
  currentRisk: number,
  opts: EscalationMemoryOptions,
): RememberedEscalation | undefined {
  if (opts.turns <= 0) return undefined;
  for (let ago = 1; ago <= Math.min(opts.turns, turns.length); ago++) {
    const turn = turns[turns.length - ago]!;
    if (!turn.escalated || turn.reused) continue;
    const riskDriven = turn.risk >= opts.riskThreshold;
    if (riskDriven && currentRisk < opts.riskBelow) return undefined;
    return { tier: turn.tier, requestId: turn.requestId, turnsAgo: ago };
  }
  return undefined;
}
