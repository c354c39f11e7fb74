import { describe, expect, it } from "vitest";
import { resolveInstanceConfig } from "./instance-config.js";
import { getPreset, listPresets, presetId } from "./presets.js";

describe("getPreset", () => {
  it("returns the listed presets as they are", () => {
    for (const p of listPresets()) expect(getPreset(p.id)).toBe(p);
  });

  it("builds any known model on 1, 2, 4 or 8 GPUs of a known kind", () => {
    const p = getPreset("llama-3.1-70b/h100x2");
    expect(p.model.id).toBe("llama-3.1-70b");
    expect(p.gpu.id).toBe("h100");
    expect(p.tensorParallel).toBe(2);
    expect(getPreset("llama-3.1-8b/h200x4").tensorParallel).toBe(4);
    expect(presetId("llama-3.1-8b", "h100", 1)).toBe("llama-3.1-8b/h100");
    expect(presetId("llama-3.1-70b", "h100", 2)).toBe("llama-3.1-70b/h100x2");
  });

  it("refuses other degrees, unknown models and GPUs, and an explicit x1 with a sentence", () => {
    for (const id of ["llama-3.1-8b/h100x3", "llama-3.1-8b/h100x16", "llama-3.1-8b/h100x1", "gpt-5/h100", "llama-3.1-8b/tpu", "nonsense"]) {
      expect(() => getPreset(id), id).toThrow(/unknown sim preset .* use "<model>\/<gpu>" or "<model>\/<gpu>x<N>"/);
    }
  });

  it("a built preset resolves with its own degree's capacity and step time", () => {
    const tp2 = resolveInstanceConfig({ preset: "llama-3.1-70b/h100x2" });
    const tp4 = resolveInstanceConfig({ preset: "llama-3.1-70b/h100x4" });
    expect(tp2.preset.tensorParallel).toBe(2);
    // 70B in BF16 is 141 GB: on 2×80 GB at 0.9 only a little KV remains.
    expect(tp2.numBlocks).toBeGreaterThan(0);
    expect(tp2.numBlocks).toBeLessThan(tp4.numBlocks / 5);
    // Fewer GPUs per replica: each decode step reads the weights over half the bandwidth.
    const decode = { sequences: 1, tokens: 1, attendedContext: 1024, kvTokensRead: 1024 };
    expect(tp2.stepTime.stepTimeMs(decode)).toBeGreaterThan(tp4.stepTime.stepTimeMs(decode) * 1.5);
  });

  it("a model that does not fit fails when resolved, not silently", () => {
    expect(() => resolveInstanceConfig({ preset: "llama-3.1-70b/h100" })).toThrow(/does not fit on 1× /);
  });
});
