// The multi-turn conversation set behind `pnpm bench:turn-reuse`: real GSM8K
// and MMLU questions arranged into conversations whose later turns repeat,
// nearly repeat, or nearly-but-not-quite repeat an earlier turn. Every turn
// carries the label the L0 layer must reproduce (reuse or generate), so the
// bench can count correct, missed and false reuses per category. The
// variants are written by rule (not by the router's normaliser) so that the
// labels do not borrow the code they grade.

/** A question from the data, with what the cascade would have stored for it. */
export interface SourceQuestion {
  readonly prompt: string;
  /** The stored answer text when this question is generated. */
  readonly answer: string;
  /** The tier that answered it: the first rung when it was right, else the strongest. */
  readonly tier: string;
  readonly escalated: boolean;
}

export type TurnCategory =
  /** A question not asked before in this conversation: generate. */
  | "new"
  /** The newest generated question again, character for character: reuse. */
  | "exact-repeat"
  /** The newest generated question with only case, punctuation, whitespace or filler words changed: reuse. */
  | "near-repeat"
  /** A twin of the newest generated question that asks something else (number, negation, word, clause): generate. */
  | "near-miss"
  /** An exact repeat of an older question with a different question in between: generate (new context). */
  | "stale-repeat";

export const CATEGORIES: readonly TurnCategory[] = ["new", "exact-repeat", "near-repeat", "near-miss", "stale-repeat"];

export interface BenchTurn {
  readonly question: string;
  readonly category: TurnCategory;
  /** Which edit made it, e.g. "number" or "filler"; "" for new and exact turns. */
  readonly variant: string;
  /** The label: answering this turn from the stored state is correct. */
  readonly reuseCorrect: boolean;
  /** What the cascade stores if the turn is generated. */
  readonly answer: string;
  readonly tier: string;
  readonly escalated: boolean;
}

export interface BenchConversation {
  readonly id: string;
  readonly turns: readonly BenchTurn[];
}

export interface TurnReuseSetOptions {
  readonly conversations: number;
  readonly seed: number;
  readonly minTurns?: number;
  readonly maxTurns?: number;
}

/** mulberry32: a small seeded PRNG, so that the set (and its figures) are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

// ---- near repeats: the same question, differently typed ----------------------

const FILLER_PREFIXES = ["Sorry, again: ", "Please, ", "Okay, ", "Hi! ", "Um, ", "Hey, please: "];
const FILLER_SUFFIXES = [" Thanks!", " please", " again?", " Thanks."];

/** Edits that change nothing a reader would answer differently. */
export const NEAR_REPEAT_EDITS: Readonly<Record<string, (q: string, rng: Rng) => string>> = {
  case: (q, rng) => (rng() < 0.5 ? q.toUpperCase() : q.toLowerCase()),
  // Only punctuation after a letter: a comma or point inside a number is part of the number.
  punctuation: (q) => `${q.replace(/(\p{L})[.,;:!?]+/gu, "$1")}??`,
  whitespace: (q) => `  ${q.replace(/\s+/g, "   \n ")}\n`,
  filler: (q, rng) => `${pick(rng, FILLER_PREFIXES)}${q}${pick(rng, FILLER_SUFFIXES)}`,
};

// ---- near misses: the same words, a different question -----------------------

const AUXILIARY = /\b(is|are|was|were|does|do|did|can|will|would|should|could|has|have)\b/i;
const SWAPS: Readonly<Record<string, string>> = {
  more: "fewer", less: "more", fewer: "more", first: "last", last: "first", total: "average", average: "total",
  each: "every", increase: "decrease", decrease: "increase", before: "after", after: "before", most: "least",
  least: "most", true: "false", false: "true", correct: "incorrect", largest: "smallest", smallest: "largest",
};
const CLAUSES = [" Assume half of them are lost first.", " Ignore any that were returned.", " Answer for the following year instead.", " Count only the first week."];

/** Each edit returns undefined when it does not apply to the question (e.g. no number to change). */
export const NEAR_MISS_EDITS: Readonly<Record<string, (q: string, rng: Rng) => string | undefined>> = {
  number: (q) => {
    const m = /\d+/.exec(q);
    return m === null ? undefined : q.slice(0, m.index) + String(Number(m[0]) + 1) + q.slice(m.index + m[0].length);
  },
  negation: (q) => (AUXILIARY.test(q) ? q.replace(AUXILIARY, "$1 not") : undefined),
  word: (q) => {
    const m = new RegExp(`\\b(${Object.keys(SWAPS).join("|")})\\b`, "i").exec(q);
    if (m !== null) return q.slice(0, m.index) + SWAPS[m[1]!.toLowerCase()]! + q.slice(m.index + m[0].length);
    // No word with an obvious opposite: swap two adjacent longer words, which changes who does what to whom.
    const w = /\b([A-Za-z]{4,})(\s+)([A-Za-z]{4,})\b/.exec(q);
    return w === null || w[1]!.toLowerCase() === w[3]!.toLowerCase() ? undefined : q.slice(0, w.index) + w[3] + w[2] + w[1] + q.slice(w.index + w[0].length);
  },
  clause: (q, rng) => `${q.trimEnd()}${pick(rng, CLAUSES)}`,
};

// ---- the set -----------------------------------------------------------------

/** How often a later turn is of each kind; stale repeats need two earlier generated questions. */
const LATER_TURN_WEIGHTS: readonly [TurnCategory, number][] = [
  ["exact-repeat", 0.2],
  ["near-repeat", 0.25],
  ["near-miss", 0.3],
  ["new", 0.15],
  ["stale-repeat", 0.1],
];

/**
 * Conversations of minTurns..maxTurns turns. The first turn is always new.
 * Repeats and twins refer to the newest turn the router should have
 * generated (reused turns add nothing, so they never become the target);
 * stale repeats to an older generated question with another in between.
 */
export function buildTurnReuseSet(pool: readonly SourceQuestion[], opts: TurnReuseSetOptions): BenchConversation[] {
  const rng = seededRandom(opts.seed);
  const min = opts.minTurns ?? 3;
  const max = opts.maxTurns ?? 6;
  let next = 0;
  const fresh = (): SourceQuestion => pool[next++ % pool.length]!;
  const conversations: BenchConversation[] = [];
  for (let c = 0; c < opts.conversations; c++) {
    const n = min + Math.floor(rng() * (max - min + 1));
    const turns: BenchTurn[] = [];
    /** Questions the router should have generated, oldest first. */
    const generated: BenchTurn[] = [];
    for (let i = 0; i < n; i++) {
      const turn = i === 0 ? newTurn(fresh()) : laterTurn(rng, generated, fresh);
      turns.push(turn);
      if (!turn.reuseCorrect) generated.push(turn);
    }
    conversations.push({ id: `conv-${c}`, turns });
  }
  return conversations;
}

function newTurn(q: SourceQuestion): BenchTurn {
  return { question: q.prompt, category: "new", variant: "", reuseCorrect: false, answer: q.answer, tier: q.tier, escalated: q.escalated };
}

function laterTurn(rng: Rng, generated: readonly BenchTurn[], fresh: () => SourceQuestion): BenchTurn {
  const target = generated[generated.length - 1]!;
  const category = drawCategory(rng, generated.length >= 2);
  switch (category) {
    case "new":
      return newTurn(fresh());
    case "exact-repeat":
      return { ...target, category, variant: "", reuseCorrect: true };
    case "stale-repeat": {
      // Not the target's own text: a stale repeat of the newest question would be an exact repeat.
      const older = generated.filter((g) => g.question !== target.question);
      if (older.length === 0) return { ...target, category: "exact-repeat", variant: "", reuseCorrect: true };
      return { ...pick(rng, older), category, variant: "", reuseCorrect: false };
    }
    case "near-repeat": {
      const variant = pick(rng, Object.keys(NEAR_REPEAT_EDITS));
      return { ...target, question: NEAR_REPEAT_EDITS[variant]!(target.question, rng), category, variant, reuseCorrect: true };
    }
    case "near-miss": {
      // Try the edits in a random order; the clause edit always applies.
      const order = Object.keys(NEAR_MISS_EDITS).sort(() => rng() - 0.5);
      for (const variant of order) {
        const question = NEAR_MISS_EDITS[variant]!(target.question, rng);
        if (question !== undefined && question !== target.question) {
          return { ...target, question, category, variant, reuseCorrect: false, answer: `(generated answer to the ${variant} twin) ${target.answer}` };
        }
      }
      throw new Error("unreachable: the clause edit always changes the question");
    }
  }
}

function drawCategory(rng: Rng, staleAllowed: boolean): TurnCategory {
  const weights = LATER_TURN_WEIGHTS.filter(([c]) => staleAllowed || c !== "stale-repeat");
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [c, w] of weights) {
    r -= w;
    if (r < 0) return c;
  }
  return weights[weights.length - 1]![0];
}
