import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { parseConfig } from "./parse-config.js";

const TIERS = `
tiers:
  - name: small
    model: m
`;

function problemsOf(yaml: string, env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    parseConfig(yaml, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

/** judge.shadow and judge.signals defaults (L4 / L5; shadow verification is off). */
const JUDGE_DEFAULTS = {
  shadow: { fraction: 0, maxInFlight: 2, targetQuality: 0.9, minSamples: 50, maxStep: 0.02 },
  signals: { publish: true, driftWindow: 500, noveltyAbove: 1, noveltyMaxRaise: 0.1 },
};

/** router.risk, router.turnReuse and router.escalationMemory defaults (SERR-CASCADE router layers). */
const ROUTER_DEFAULTS = {
  risk: { enabled: true, threshold: 0.6, action: "strongest-tier", strictThreshold: 0.9, decay: 0.5 },
  turnReuse: { enabled: true, ttlMs: 3_600_000 },
  escalationMemory: { turns: 2, riskBelow: 0.2 },
};

describe("router and judge sections", () => {
  it("default to the static ladder and the placeholder judge", () => {
    const c = parseConfig(TIERS);
    expect(c.router).toEqual({ policy: "static-ladder", ...ROUTER_DEFAULTS });
    expect(c.judge).toEqual({ scorer: "placeholder", ...JUDGE_DEFAULTS });
  });

  it("take the learned router, its artifacts and budget, and the trained judge", () => {
    const c = parseConfig(`${TIERS}router: { policy: learned, artifacts: artifacts/x, budget: 0.2 }\njudge: { scorer: trained }\n`);
    expect(c.router).toEqual({ policy: "learned", artifacts: "artifacts/x", budget: 0.2, ...ROUTER_DEFAULTS });
    expect(c.judge).toEqual({ scorer: "trained", ...JUDGE_DEFAULTS });
    expect(parseConfig(TIERS, { WEIR__router__budget: "0" }).router.budget).toBe(0);
  });

  it("say what is missing for the trained and the llm judge, and reject a negative budget", () => {
    expect(problemsOf(`${TIERS}judge: { scorer: trained }\n`).join("\n")).toMatch(/judge\.artifacts is required when judge\.scorer is "trained"/);
    expect(problemsOf(`${TIERS}judge: { scorer: llm }\n`).join("\n")).toMatch(/judge\.llm is required when judge\.scorer is "llm"/);
    expect(problemsOf(`${TIERS}router: { budget: -1 }\n`).join("\n")).toMatch(/router\.budget/);
    expect(problemsOf(`${TIERS}router: { policy: smart }\n`).join("\n")).toMatch(/router\.policy/);
  });

  it("takes shadow verification and signal settings, and refuses out-of-range ones", () => {
    const c = parseConfig(`${TIERS}judge: { shadow: { fraction: 0.1, minSamples: 20 }, signals: { noveltyAbove: 0.4 } }\n`);
    expect(c.judge.shadow).toEqual({ ...JUDGE_DEFAULTS.shadow, fraction: 0.1, minSamples: 20 });
    expect(c.judge.signals.noveltyAbove).toBe(0.4);
    expect(problemsOf(`${TIERS}judge: { shadow: { fraction: 1.5 } }\n`).join("\n")).toMatch(/judge\.shadow\.fraction/);
    expect(problemsOf(`${TIERS}judge: { shadow: { maxStep: 0 } }\n`).join("\n")).toMatch(/judge\.shadow\.maxStep/);
  });

  it("takes risk categories, reuse and memory settings, and refuses bad ones with the field named", () => {
    const c = parseConfig(
      `${TIERS}router: { risk: { categories: [{ name: medical-dosage, weight: 0.8, lexicon: ["\\\\bdose\\\\b"] }], action: stricter-threshold }, turnReuse: { enabled: false }, escalationMemory: { turns: 0 } }\n`,
    );
    expect(c.router.risk.categories).toEqual([{ name: "medical-dosage", weight: 0.8, lexicon: ["\\bdose\\b"] }]);
    expect(c.router.risk.action).toBe("stricter-threshold");
    expect(c.router.turnReuse).toEqual({ enabled: false, ttlMs: 3_600_000 });
    expect(c.router.escalationMemory).toEqual({ turns: 0, riskBelow: 0.2 });
    expect(problemsOf(`${TIERS}router: { risk: { action: block } }\n`).join("\n")).toMatch(/router\.risk\.action/);
    expect(problemsOf(`${TIERS}router: { risk: { decay: 2 } }\n`).join("\n")).toMatch(/router\.risk\.decay/);
    expect(problemsOf(`${TIERS}router: { turnReuse: { ttlMs: 0 } }\n`).join("\n")).toMatch(/router\.turnReuse\.ttlMs/);
  });

  it("takes an llm judge", () => {
    const c = parseConfig(`${TIERS}judge: { scorer: llm, llm: { baseUrl: "http://127.0.0.1:8000/v1", model: j } }\n`);
    expect(c.judge.llm).toEqual({ baseUrl: "http://127.0.0.1:8000/v1", model: "j" });
  });
});
