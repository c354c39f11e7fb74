import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { parseConfig } from "./parse-config.js";

const YAML = `
tiers:
  - name: small
    model: meta-llama/Llama-3.1-8B-Instruct
  - name: large
    model: meta-llama/Llama-3.1-70B-Instruct
nats: { url: nats://from-file:4222 }
`;

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    parseConfig(YAML, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("environment overrides", () => {
  it("sets fields by path, tiers by name, values as YAML scalars", () => {
    const config = parseConfig(YAML, {
      WEIR__gateway__httpPort: "9000",
      WEIR__tiers__large__replicas: "2",
      WEIR__judge__placeholderScore: "0.1",
      WEIR__gateway__host: "0.0.0.0",
      PATH: "/usr/bin", // not ours: ignored
    });
    expect(config.gateway.httpPort).toBe(9000);
    expect(config.tiers[1]?.replicas).toBe(2);
    expect(config.tiers[0]?.replicas).toBe(1);
    expect(config.judge.placeholderScore).toBe(0.1);
    expect(config.gateway.host).toBe("0.0.0.0");
  });

  it("keeps text for string fields, so a numeric-looking model stays a string", () => {
    expect(parseConfig(YAML, { WEIR__tiers__small__model: "1234" }).tiers[0]?.model).toBe("1234");
  });

  it("takes NATS_URL for nats.url, and WEIR__nats__url over it", () => {
    expect(parseConfig(YAML, { NATS_URL: "nats://env:4222" }).nats.url).toBe("nats://env:4222");
    expect(parseConfig(YAML, { NATS_URL: "nats://env:4222", WEIR__nats__url: "nats://weir:4222" }).nats.url).toBe("nats://weir:4222");
  });

  it("matches names case-insensitively and ignores empty variables", () => {
    const config = parseConfig(YAML, { WEIR__GATEWAY__HTTPPORT: "9001", WEIR__TIERS__SMALL__REPLICAS: "3", NATS_URL: "" });
    expect(config.gateway.httpPort).toBe(9001);
    expect(config.tiers[0]?.replicas).toBe(3);
    expect(config.nats.url).toBe("nats://from-file:4222");
  });

  it("rejects a variable that names no setting, naming the variable", () => {
    expect(problemsOf({ WEIR__gateway__htpPort: "9000" })).toEqual([
      "WEIR__gateway__htpPort names no setting: there is no gateway.htpPort in weir.yaml; did you mean WEIR__gateway__httpPort?",
    ]);
    expect(problemsOf({ WEIR__tiers__medium__replicas: "2" })).toEqual([
      'WEIR__tiers__medium__replicas names no setting: there is no tiers entry named "medium" in weir.yaml; use one of small, large.',
    ]);
    expect(problemsOf({ WEIR__gateway: "x" })).toEqual([
      "WEIR__gateway names the section gateway, not a value; set one field of it, e.g. WEIR__gateway__host.",
    ]);
    expect(problemsOf({ WEIR__gateway__httpPort__x: "1" })).toEqual([
      'WEIR__gateway__httpPort__x names no setting: gateway.httpPort is a single value with no "x" inside; drop "__x" from the name.',
    ]);
    expect(problemsOf({ WEIR__: "1" })[0]).toBe(
      "WEIR__ names no setting; write it as WEIR__<section>__<field>, e.g. WEIR__gateway__httpPort=9000.",
    );
  });

  it("says which variable supplied a bad value", () => {
    expect(problemsOf({ WEIR__tiers__small__pricing__inputPerMTok: "cheap" })).toEqual([
      'weir.yaml: tiers[0].pricing.inputPerMTok must be a number ≥ 0 (got "cheap" from WEIR__tiers__small__pricing__inputPerMTok); set it to the price in USD per million input tokens.',
    ]);
  });
});
