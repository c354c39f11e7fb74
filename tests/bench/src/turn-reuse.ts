// `pnpm bench:turn-reuse`: how often the L0 layer answers a turn from the
// conversation's stored state, and whether it ever does so wrongly. The
// conversations come from real GSM8K and MMLU questions (turn-reuse-set.ts);
// each is played turn by turn through the router's own RiskAwareRouter
// (turn-delta, turn-reuse, the no-new-context rule, risk), configured from
// the repository's weir.yaml, with the state the gateway would have stored:
// a generated turn stores its recorded answer and tier, a reused turn the
// text and tier it reused (the cascade's completedTurn). No NATS: the KV
// bucket only moves that state between replicas. The figure that matters is
// FALSE reuses, which must be 0: a false reuse answers a different question.
import { create } from "@bufbuild/protobuf";
import { loadConfig } from "@weir/config";
import { loadGsm8k, loadMmlu } from "@weir/datasets";
import { PlanRequestSchema } from "@weir/proto";
import { type ConversationTurnView, RiskAwareRouter, StaticLadderRouter } from "@weir/routing";
import { fileURLToPath } from "node:url";
import { type BenchConversation, CATEGORIES, type SourceQuestion, type TurnCategory, buildTurnReuseSet } from "./turn-reuse-set.js";

const CONVERSATIONS = Number(process.argv[2] ?? 1000);
const SEED = Number(process.argv[3] ?? 5);

const config = loadConfig({ path: fileURLToPath(new URL("../../../weir.yaml", import.meta.url)) });
const tierNames = config.tiers.map((t) => t.name);
const first = tierNames[0]!;
const strongest = tierNames[tierNames.length - 1]!;
const router = new RiskAwareRouter(new StaticLadderRouter({ tiers: config.tiers }), {
  tiers: config.tiers,
  risk: config.router.risk,
  turnReuse: config.router.turnReuse,
  escalationMemory: config.router.escalationMemory,
});

/** GSM8K and MMLU questions interleaved; stored as the first tier's answer when it was right, else the strongest's. */
function sourceQuestions(): SourceQuestion[] {
  const gsm8k = loadGsm8k();
  const mmlu = loadMmlu();
  const [small, large] = gsm8k.models as [string, string];
  const seen = new Set<string>();
  const out: SourceQuestion[] = [];
  const rows = gsm8k.rows.flatMap((g, i) => [g, mmlu.rows[i * 11]].filter((r) => r !== undefined));
  for (const r of rows) {
    if (seen.has(r.id)) continue; // MMLU repeats some questions; a "new" turn must be new.
    seen.add(r.id);
    const right = r.correct[small] === true;
    const answer = (right ? r.response[small] : r.response[large]) ?? `(recorded ${right ? "Mixtral" : "GPT-4"} choice)`;
    out.push({ prompt: r.prompt, answer, tier: right ? first : strongest, escalated: !right });
  }
  return out;
}

interface Tally {
  turns: number;
  shouldReuse: number;
  reused: number;
  correct: number;
  missed: number;
  falseReuses: number;
}
const tally = (): Tally => ({ turns: 0, shouldReuse: 0, reused: 0, correct: 0, missed: 0, falseReuses: 0 });

const byCategory = new Map<TurnCategory, Tally>(CATEGORIES.map((c) => [c, tally()]));
const byVariant = new Map<string, Tally>();
const falseExamples: string[] = [];
const missedExamples: string[] = [];

/** Plays one conversation as the client, router and gateway would, turn by turn. */
async function play(conv: BenchConversation): Promise<void> {
  const stored: ConversationTurnView[] = [];
  const messages: { role: string; content: string }[] = [];
  for (const [i, turn] of conv.turns.entries()) {
    const requestId = `${conv.id}-t${i}`;
    messages.push({ role: "user", content: turn.question });
    const req = create(PlanRequestSchema, { requestId, model: "weir-auto", messages });
    const plan = await router.plan(req, { turns: stored });
    const reuse = plan.reuse;
    const overridden = plan.risk?.overridden === true;
    const answer = reuse?.text ?? turn.answer;
    const tier = reuse?.tier ?? (overridden ? strongest : turn.tier);
    stored.push({
      requestId,
      question: turn.question,
      answer,
      tier,
      escalated: reuse === undefined && (turn.escalated || overridden),
      risk: plan.risk?.score ?? 0,
      riskRules: [...(plan.risk?.rules ?? [])],
      reused: reuse !== undefined,
    });
    messages.push({ role: "assistant", content: answer });

    const key = turn.variant === "" ? turn.category : `${turn.category}/${turn.variant}`;
    if (!byVariant.has(key)) byVariant.set(key, tally());
    for (const t of [byCategory.get(turn.category)!, byVariant.get(key)!]) {
      t.turns++;
      if (turn.reuseCorrect) t.shouldReuse++;
      if (reuse !== undefined) t.reused++;
      if (reuse !== undefined && turn.reuseCorrect) t.correct++;
      if (reuse === undefined && turn.reuseCorrect) t.missed++;
      if (reuse !== undefined && !turn.reuseCorrect) t.falseReuses++;
    }
    const shown = JSON.stringify(turn.question.slice(0, 90));
    if (reuse !== undefined && !turn.reuseCorrect && falseExamples.length < 5) falseExamples.push(`${key}: ${shown}`);
    if (reuse === undefined && turn.reuseCorrect && missedExamples.length < 5) missedExamples.push(`${key}: ${shown} (${plan.reason})`);
  }
}

const pool = sourceQuestions();
const set = buildTurnReuseSet(pool, { conversations: CONVERSATIONS, seed: SEED });
for (const conv of set) await play(conv);

const pct = (n: number, d: number): string => (d === 0 ? "–" : `${((100 * n) / d).toFixed(1)} %`);
const row = (name: string, t: Tally): string =>
  `| ${name} | ${t.turns} | ${t.shouldReuse} | ${t.reused} (${pct(t.reused, t.turns)}) | ${t.correct} | ${t.missed} | **${t.falseReuses}** |`;
const total = [...byCategory.values()].reduce((a, t) => {
  for (const k of Object.keys(a) as (keyof Tally)[]) a[k] += t[k];
  return a;
}, tally());

process.stdout.write(
  [
    `L0 turn reuse over ${set.length} conversations (${total.turns} turns, 3–6 each, seed ${SEED}) from ${pool.length} GSM8K + MMLU questions`,
    `router: RiskAwareRouter over the static ladder (${tierNames.join(" → ")}), weir.yaml router.risk / turnReuse / escalationMemory`,
    "",
    "| category | turns | should reuse | reused (share) | correct reuses | missed reuses | FALSE reuses |",
    "|---|---|---|---|---|---|---|",
    ...CATEGORIES.map((c) => row(c, byCategory.get(c)!)),
    row("**all**", total),
    "",
    "| category/edit | turns | should reuse | reused (share) | correct reuses | missed reuses | FALSE reuses |",
    "|---|---|---|---|---|---|---|",
    ...[...byVariant.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, t]) => row(k, t)),
    "",
    `share of turns reused: ${pct(total.reused, total.turns)}; of the reusable turns reused: ${pct(total.correct, total.shouldReuse)}`,
    `FALSE reuses: ${total.falseReuses}${falseExamples.length > 0 ? `\n  ${falseExamples.join("\n  ")}` : ""}`,
    `missed reuses: ${total.missed}${missedExamples.length > 0 ? `\n  ${missedExamples.join("\n  ")}` : ""}`,
    "",
  ].join("\n"),
);
if (total.falseReuses > 0) process.exitCode = 1;
