import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { loadConfig } from "./load-config.js";
import { tierByName } from "./tier-by-name.js";

const repoWeirYaml = fileURLToPath(new URL("../../../weir.yaml", import.meta.url));

describe("loadConfig", () => {
  it("loads the repository's weir.yaml: the default local stack", () => {
    const config = loadConfig({ path: repoWeirYaml, env: {} });
    expect(config.tiers.map((t) => t.name)).toEqual(["small", "large"]);
    expect(tierByName(config, "small")).toMatchObject({
      model: "meta-llama/Llama-3.1-8B-Instruct",
      engine: "sim",
      pricing: { inputPerMTok: 0.2, outputPerMTok: 0.2 },
      replicas: 1,
      qeThreshold: 0.7,
      engineOptions: {
        preset: "llama-3.1-8b/h100",
        replay: { dataset: "gsm8k", model: "mistralai/Mixtral-8x7B-Instruct-v0.1" },
      },
    });
    expect(tierByName(config, "large")).toMatchObject({
      model: "meta-llama/Llama-3.1-70B-Instruct",
      engine: "sim",
      pricing: { inputPerMTok: 0.9, outputPerMTok: 0.9 },
      qeThreshold: 0,
      engineOptions: { preset: "llama-3.1-70b/h100x4", replay: { dataset: "gsm8k", model: "gpt-4-1106-preview" } },
    });
    expect(tierByName(config, "medium")).toBeUndefined();
    expect(config.slo).toEqual({ ttftMs: 1000, tpotMs: 100, e2eMs: 30_000 });
    expect(config.gateway).toMatchObject({ httpPort: 8080, grpcPort: 8081 });
  });

  it("finds the file through WEIR_CONFIG and applies the same env's overrides", () => {
    const config = loadConfig({ env: { WEIR_CONFIG: repoWeirYaml, WEIR__tiers__small__replicas: "2" } });
    expect(tierByName(config, "small")?.replicas).toBe(2);
  });

  it("names the file in its errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "weir-config-"));
    const file = join(dir, "weir.yaml");
    writeFileSync(file, "tiers: [{ name: small, model: m, replicas: -1 }]\n");
    expect(() => loadConfig({ path: file, env: {} })).toThrow(
      `${file}: tiers[0].replicas must be a whole number ≥ 0 (got -1); set it to how many model-worker instances of this tier to run.`,
    );
  });

  it("says how to fix a missing file", () => {
    const missing = join(tmpdir(), "no-such-dir-weir", "weir.yaml");
    expect(() => loadConfig({ path: missing, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ path: missing, env: {} })).toThrow(
      `${missing} does not exist; create it (the weir.yaml at the repository root is a commented example) or set WEIR_CONFIG to its path.`,
    );
  });
});
