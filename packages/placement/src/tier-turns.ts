/**
 * A round-robin turn per tier: the only state round-robin and tie-breaking
 * keep, per tier so that one tier's traffic does not skew another's rotation.
 */
export class TierTurns {
  private readonly turns = new Map<string, number>();

  /** The next index in 0..n-1 for this tier (advances the turn). */
  next(tier: string, n: number): number {
    const turn = this.turns.get(tier) ?? 0;
    this.turns.set(tier, (turn + 1) % Number.MAX_SAFE_INTEGER);
    return turn % Math.max(1, n);
  }
}
