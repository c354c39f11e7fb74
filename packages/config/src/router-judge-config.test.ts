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

describe("router and judge sections", () => {
  it("default to the static ladder and the placeholder judge", () => {
    const c = parseConfig(TIERS);
    expect(c.router).toEqual({ policy: "static-ladder" });
    expect(c.judge).toEqual({ scorer: "placeholder" });
  });

  it("take the learned router, its artifacts and budget, and the trained judge", () => {
    const c = parseConfig(`${TIERS}router: { policy: learned, artifacts: artifacts/x, budget: 0.2 }\njudge: { scorer: trained }\n`);
    expect(c.router).toEqual({ policy: "learned", artifacts: "artifacts/x", budget: 0.2 });
    expect(c.judge).toEqual({ scorer: "trained" });
    expect(parseConfig(TIERS, { WEIR__router__budget: "0" }).router.budget).toBe(0);
  });

  it("say what is missing for the trained and the llm judge, and reject a negative budget", () => {
    expect(problemsOf(`${TIERS}judge: { scorer: trained }\n`).join("\n")).toMatch(/judge\.artifacts is required when judge\.scorer is "trained"/);
    expect(problemsOf(`${TIERS}judge: { scorer: llm }\n`).join("\n")).toMatch(/judge\.llm is required when judge\.scorer is "llm"/);
    expect(problemsOf(`${TIERS}router: { budget: -1 }\n`).join("\n")).toMatch(/router\.budget/);
    expect(problemsOf(`${TIERS}router: { policy: smart }\n`).join("\n")).toMatch(/router\.policy/);
  });

  it("takes an llm judge", () => {
    const c = parseConfig(`${TIERS}judge: { scorer: llm, llm: { baseUrl: "http://127.0.0.1:8000/v1", model: j } }\n`);
    expect(c.judge.llm).toEqual({ baseUrl: "http://127.0.0.1:8000/v1", model: "j" });
  });
});
