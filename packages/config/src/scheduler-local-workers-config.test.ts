import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { parseConfig } from "./parse-config.js";

const TIERS = `
tiers:
  - name: small
    model: m
    engine: sim
    engineOptions: { preset: llama-3.1-8b/h100 }
`;

describe("scheduler.localWorkers", () => {
  it("is absent unless written, so the scheduler supervises no worker by default", () => {
    expect(parseConfig(TIERS).scheduler.localWorkers).toBeUndefined();
  });

  it("defaults enabled to false and takes an entry", () => {
    expect(parseConfig(`${TIERS}scheduler: { localWorkers: {} }\n`).scheduler.localWorkers).toEqual({ enabled: false });
    expect(parseConfig(`${TIERS}scheduler: { localWorkers: { enabled: true, entry: /x/main.js } }\n`).scheduler.localWorkers).toEqual({
      enabled: true,
      entry: "/x/main.js",
    });
  });

  it("can be switched on from the environment, as the local stack does", () => {
    const c = parseConfig(TIERS, { WEIR__scheduler__localWorkers__enabled: "true" });
    expect(c.scheduler.localWorkers).toEqual({ enabled: true });
  });

  it("refuses a non-boolean enabled with a sentence", () => {
    try {
      parseConfig(`${TIERS}scheduler: { localWorkers: { enabled: yes please } }\n`);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.join("\n")).toMatch(/scheduler\.localWorkers\.enabled.*true or false/);
    }
  });

  it("a worker's preset can be replaced from the environment (how the scheduler starts a planned preset)", () => {
    const c = parseConfig(TIERS, { WEIR__tiers__small__engineOptions__preset: "llama-3.1-70b/h100x8" });
    expect(c.tiers[0]?.engineOptions.preset).toBe("llama-3.1-70b/h100x8");
  });
});
