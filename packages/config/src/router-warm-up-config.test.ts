import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { parseConfig } from "./parse-config.js";

const TIERS = `
tiers:
  - name: small
    model: m
`;

function problemsOf(yaml: string): string {
  try {
    parseConfig(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.join("\n");
  }
  throw new Error("expected a ConfigError");
}

describe("router.warmUp (escalation warm-up)", () => {
  it("is off unless configured; an empty section takes never and 0", () => {
    expect(parseConfig(TIERS).router.warmUp).toBeUndefined();
    expect(parseConfig(`${TIERS}router: { warmUp: {} }\n`).router.warmUp).toEqual({ staticLadder: "never", acceptBelow: 0 });
    expect(parseConfig(`${TIERS}router: { warmUp: { staticLadder: always, acceptBelow: 0.7 } }\n`).router.warmUp).toEqual({
      staticLadder: "always",
      acceptBelow: 0.7,
    });
    expect(parseConfig(TIERS, { WEIR__router__warmUp__acceptBelow: "0.6" }).router.warmUp).toEqual({ staticLadder: "never", acceptBelow: 0.6 });
  });

  it("says how to fix a bad switch or threshold", () => {
    expect(problemsOf(`${TIERS}router: { warmUp: { staticLadder: sometimes } }\n`)).toMatch(/router\.warmUp\.staticLadder must be one of "never", "always"/);
    expect(problemsOf(`${TIERS}router: { warmUp: { acceptBelow: 2 } }\n`)).toMatch(/router\.warmUp\.acceptBelow must be a probability from 0 to 1/);
  });
});
