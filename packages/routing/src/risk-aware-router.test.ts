import { create } from "@bufbuild/protobuf";
import { type PlanRequest, PlanRequestSchema } from "@weir/proto";
import { describe, expect, it } from "vitest";
import type { ConversationTurnView } from "./conversation-view.js";
import { RiskAwareRouter, type RiskAwareRouterOptions } from "./risk-aware-router.js";
import { StaticLadderRouter } from "./static-ladder-router.js";

const tiers = [
  { name: "small", qeThreshold: 0.7 },
  { name: "medium", qeThreshold: 0.6 },
  { name: "large", qeThreshold: 0 },
];
const options: RiskAwareRouterOptions = {
  tiers,
  risk: {
    enabled: true,
    categories: [{ name: "medical-dosage", weight: 0.8, lexicon: [String.raw`\bdosage\b`] }],
    threshold: 0.6,
    action: "strongest-tier",
    strictThreshold: 0.9,
    decay: 0.5,
  },
  turnReuse: { enabled: true },
  escalationMemory: { turns: 2, riskBelow: 0.2 },
};
const router = (o: Partial<RiskAwareRouterOptions> = {}) => new RiskAwareRouter(new StaticLadderRouter({ tiers }), { ...options, ...o });

/** A request whose last user message is `question`, after the given earlier turns. */
function request(question: string, earlier: [string, string][] = [], model = "weir-auto"): PlanRequest {
  const messages = earlier.flatMap(([q, a]) => [
    { role: "user", content: q },
    { role: "assistant", content: a },
  ]);
  return create(PlanRequestSchema, { requestId: "r-new", model, messages: [...messages, { role: "user", content: question }] });
}
const turn = (t: Partial<ConversationTurnView> & Pick<ConversationTurnView, "question">): ConversationTurnView => ({
  requestId: "r1",
  answer: "Paris.",
  tier: "small",
  escalated: false,
  risk: 0,
  riskRules: [],
  reused: false,
  ...t,
});
const tiersOf = (p: { steps: { tier: string }[] }) => p.steps.map((s) => s.tier);

describe("RiskAwareRouter: L2 risk overrides", () => {
  it("a risky question gets only the strongest tier, and the reason names the rule", async () => {
    const plan = await router().plan(request("What dosage of ibuprofen is safe?"));
    expect(tiersOf(plan)).toEqual(["large"]);
    expect(plan.risk).toMatchObject({ score: 0.8, rules: ["medical-dosage"], overridden: true });
    expect(plan.reason).toMatch(/risk 0\.80 ≥ 0\.6 \(rule medical-dosage\): strongest tier large only/);
  });

  it("action stricter-threshold raises every judged rung's threshold instead", async () => {
    const plan = await router({ risk: { ...options.risk, action: "stricter-threshold" } }).plan(request("dosage?"));
    expect(tiersOf(plan)).toEqual(["small", "medium", "large"]);
    expect(plan.steps.map((s) => s.qeThreshold)).toEqual([0.9, 0.9, 0]);
  });

  it("a safe question keeps the inner plan and reports zero risk", async () => {
    const plan = await router().plan(request("What is the capital of France?"));
    expect(tiersOf(plan)).toEqual(["small", "medium", "large"]);
    expect(plan.risk).toMatchObject({ score: 0, rules: [], overridden: false });
  });

  it("risk carries to the next turn, and decays below the threshold after it", async () => {
    const earlier = [turn({ question: "dosage?", risk: 0.8, riskRules: ["medical-dosage"], tier: "large" })];
    const next = await router({ escalationMemory: { turns: 0, riskBelow: 0 } }).plan(request("And for a child?", [["dosage?", "x"]]), { turns: earlier });
    expect(next.risk).toMatchObject({ score: 0.4, carried: 0.4, overridden: false });
    expect(tiersOf(next)).toEqual(["small", "medium", "large"]);
    const strongMemory = await router({ risk: { ...options.risk, decay: 0.9 } }).plan(request("And for a child?"), { turns: earlier });
    expect(strongMemory.risk?.overridden).toBe(true);
    expect(strongMemory.reason).toMatch(/rule medical-dosage, carried from an earlier turn/);
  });

  it("a pinned tier is the client's choice: risk is reported, not applied", async () => {
    const plan = await router().plan(request("dosage?", [], "small"));
    expect(tiersOf(plan)).toEqual(["small"]);
    expect(plan.risk).toMatchObject({ overridden: false, rules: ["medical-dosage"] });
  });
});

describe("RiskAwareRouter: L0 turn reuse", () => {
  const state = { turns: [turn({ question: "What is the capital of France?", requestId: "r1", tier: "medium" })] };
  const history: [string, string][] = [["What is the capital of France?", "Paris."]];

  it("a repeat is answered from state with no steps", async () => {
    const plan = await router().plan(request("what is the capital of france??", history), state);
    expect(plan.steps).toEqual([]);
    expect(plan.reuse).toMatchObject({ text: "Paris.", sourceRequestId: "r1", tier: "medium", similarity: 1 });
  });

  it.each(["What is the capital of Germany?", "What is not the capital of France?", "What is the capital of France in 1800?"])(
    "its near-miss twin %j is generated",
    async (q) => {
      const plan = await router().plan(request(q, history), state);
      expect(plan.reuse).toBeUndefined();
      expect(plan.steps.length).toBeGreaterThan(0);
    },
  );

  it("a question in between is new context: the older answer is not reused", async () => {
    const turns = [...state.turns, turn({ question: "And its population?", requestId: "r2", answer: "2.1 million" })];
    const plan = await router().plan(request("What is the capital of France?"), { turns });
    expect(plan.reuse).toBeUndefined();
  });

  it("a reused turn in between adds nothing: the walk goes past it", async () => {
    const turns = [...state.turns, turn({ question: "What is the capital of France?", requestId: "r2", reused: true })];
    const plan = await router().plan(request("What is the capital of France?", history), { turns });
    expect(plan.reuse?.sourceRequestId).toBe("r1");
  });

  it("a new system message after the answer blocks reuse; so does turning it off", async () => {
    const req = request("What is the capital of France?", history);
    req.messages.splice(req.messages.length - 1, 0, create(PlanRequestSchema, { messages: [{ role: "system", content: "Answer in German." }] }).messages[0]!);
    expect((await router().plan(req, state)).reuse).toBeUndefined();
    expect((await router({ turnReuse: { enabled: false } }).plan(request("What is the capital of France?", history), state)).reuse).toBeUndefined();
  });
});

describe("RiskAwareRouter: escalation memory", () => {
  const escalated = turn({ question: "Prove Fermat's last theorem", requestId: "r1", tier: "medium", escalated: true });

  it("the turn after an escalation starts at the escalated tier", async () => {
    const plan = await router().plan(request("Now prove it for n = 3"), { turns: [escalated] });
    expect(tiersOf(plan)).toEqual(["medium", "large"]);
    expect(plan.reason).toMatch(/escalation memory: request r1 escalated to medium 1 turn\(s\) ago/);
  });

  it("the memory ends after the configured number of turns", async () => {
    const later = [escalated, turn({ question: "a" }), turn({ question: "b" })];
    expect(tiersOf(await router().plan(request("c"), { turns: later }))).toEqual(["small", "medium", "large"]);
  });

  it("a risk-driven escalation is forgotten once the risk falls below riskBelow", async () => {
    const risky = turn({ question: "dosage?", tier: "large", escalated: true, risk: 0.8, riskRules: ["medical-dosage"] });
    const low = await router({ risk: { ...options.risk, decay: 0.1 } }).plan(request("thanks, and the weather?"), { turns: [risky] });
    expect(tiersOf(low)).toEqual(["small", "medium", "large"]);
    const still = await router().plan(request("thanks, and the weather?"), { turns: [risky] });
    expect(tiersOf(still)).toEqual(["large"]);
  });
});
