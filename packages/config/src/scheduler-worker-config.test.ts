import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { parseConfig } from "./parse-config.js";

const TIERS = `
tiers:
  - name: small
    model: m
  - name: large
    model: l
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

describe("scheduler and worker sections", () => {
  it("take a default policy, per-tier overrides, policy knobs and the warm-up budget", () => {
    const c = parseConfig(`${TIERS}scheduler:
  policy: prefix-aware
  tierOverrides: [{ name: large, policy: length-aware }]
  policyOptions: { warmupMaxLoad: 0.3, prefix: { overloadCutoff: 2 }, lengthGroups: { groups: 3, minSamples: 10 }, outputLength: { alpha: 0.1 } }
  maxWarmupsInFlight: 4
  warmupLeaseMs: 1500
worker: { maxWaiting: 8 }
`);
    expect(c.scheduler).toEqual({
      policy: "prefix-aware",
      tierOverrides: [{ name: "large", policy: "length-aware" }],
      policyOptions: {
        warmupMaxLoad: 0.3,
        prefix: { overloadCutoff: 2 },
        lengthGroups: { groups: 3, minSamples: 10 },
        outputLength: { alpha: 0.1 },
      },
      heartbeatTimeoutMs: 3000,
      maxWarmupsInFlight: 4,
      warmupLeaseMs: 1500,
    });
    expect(c.worker).toEqual({ heartbeatIntervalMs: 1000, maxWaiting: 8 });
  });

  it("leaves unset knobs out, so the placement package's defaults apply", () => {
    const c = parseConfig(`${TIERS}scheduler: { policyOptions: { prefix: {} } }\n`);
    expect(c.scheduler.policyOptions).toEqual({ prefix: {} });
    expect("warmupMaxLoad" in c.scheduler.policyOptions).toBe(false);
  });

  it("takes environment overrides, a tier's override addressed by its name", () => {
    const yaml = `${TIERS}scheduler: { tierOverrides: [{ name: large, policy: prefix-aware }] }\n`;
    const c = parseConfig(yaml, {
      WEIR__scheduler__policy: "round-robin",
      WEIR__scheduler__tierOverrides__large__policy: "prefix-length-aware",
      WEIR__worker__maxWaiting: "2",
    });
    expect(c.scheduler.policy).toBe("round-robin");
    expect(c.scheduler.tierOverrides).toEqual([{ name: "large", policy: "prefix-length-aware" }]);
    expect(c.worker.maxWaiting).toBe(2);
  });

  it("names the field and the fix for an unknown policy, a tier that does not exist or is listed twice", () => {
    expect(problemsOf(`${TIERS}scheduler: { policy: fastest }\n`).join("\n")).toMatch(
      /scheduler\.policy must be one of "round-robin", "least-loaded", "prefix-aware", "length-aware", "prefix-length-aware"/,
    );
    expect(problemsOf(`${TIERS}scheduler: { tierOverrides: [{ name: medium, policy: round-robin }] }\n`)).toEqual([
      'weir.yaml: scheduler.tierOverrides[0].name ("medium") names no tier; use one of small, large.',
    ]);
    expect(
      problemsOf(`${TIERS}scheduler: { tierOverrides: [{ name: large, policy: round-robin }, { name: large, policy: prefix-aware }] }\n`),
    ).toEqual(['weir.yaml: scheduler.tierOverrides[1].name ("large") is listed twice; give each tier one override.']);
  });

  it("rejects negative bounds and unknown knobs", () => {
    expect(problemsOf(`${TIERS}worker: { maxWaiting: -1 }\n`).join("\n")).toMatch(/worker\.maxWaiting must be a whole number ≥ 0/);
    expect(problemsOf(`${TIERS}scheduler: { maxWarmupsInFlight: 1.5 }\n`).join("\n")).toMatch(/scheduler\.maxWarmupsInFlight/);
    expect(problemsOf(`${TIERS}scheduler: { policyOptions: { lengthGroups: { groups: 0 } } }\n`).join("\n")).toMatch(
      /scheduler\.policyOptions\.lengthGroups\.groups must be a whole number ≥ 1/,
    );
    expect(problemsOf(`${TIERS}scheduler: { policyOptions: { colour: red } }\n`).join("\n")).toMatch(/colour/);
  });
});
