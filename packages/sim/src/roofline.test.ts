import { describe, expect, it } from "vitest";
import { H100_SXM } from "./hardware.js";
import { kvBytesPerToken, kvCapacityTokens } from "./kv-memory.js";
import { LLAMA_3_1_8B, LLAMA_3_1_70B, MIXTRAL_8X7B, activeParams } from "./models.js";
import { getPreset, listPresets } from "./presets.js";
import { StepTimeModel, singleSequenceShape } from "./roofline.js";

function model(presetId: string, kvCacheDtype: "bf16" | "fp8" = "bf16"): StepTimeModel {
  const p = getPreset(presetId);
  return new StepTimeModel({ model: p.model, gpu: p.gpu, tensorParallel: p.tensorParallel, kvCacheDtype });
}

/** Within ±15% of the anchor. */
function near(value: number, anchor: number): void {
  expect(value).toBeGreaterThan(anchor * 0.85);
  expect(value).toBeLessThan(anchor * 1.15);
}

describe("roofline step time: the calibration anchors (±15%)", () => {
  const m8 = model("llama-3.1-8b/h100");

  it("Llama-3.1-8B on one H100, batch 1: inter-token latency ≈ 7 ms", () => {
    near(m8.stepTimeMs(singleSequenceShape(512, 1)), 7);
  });

  it("Llama-3.1-8B on one H100: prefill ≈ 34 ms at 1k tokens, ≈ 300 ms at 8k", () => {
    near(m8.stepTimeMs(singleSequenceShape(0, 1024)), 34);
    near(m8.stepTimeMs(singleSequenceShape(0, 8192)), 300);
  });

  it("attention FLOPs matter at 8k: the 8k prefill costs clearly more than 8 × the 1k one", () => {
    const k1 = m8.stepTimeMs(singleSequenceShape(0, 1024));
    const k8 = m8.stepTimeMs(singleSequenceShape(0, 8192));
    expect(k8 / k1).toBeGreaterThan(8.5);
  });

  it("Llama-3.1-70B on 4×H100 (TP4), batch 1: inter-token latency ≈ 16 ms", () => {
    near(model("llama-3.1-70b/h100x4").stepTimeMs(singleSequenceShape(512, 1)), 16);
  });

  it("is memory-bound in decode: a batch of 64 costs far less than 64 single decodes", () => {
    const one = m8.stepTimeMs(singleSequenceShape(1000, 1));
    const batch = m8.stepTimeMs({ sequences: 64, tokens: 64, attendedContext: 64 * 1001, kvTokensRead: 64 * 1001 });
    expect(batch).toBeLessThan(4 * one);
    expect(batch).toBeGreaterThan(one);
  });

  it("TP8 and H200 are faster than TP4 on H100", () => {
    const decode = singleSequenceShape(512, 1);
    const tp4 = model("llama-3.1-70b/h100x4").stepTimeMs(decode);
    expect(model("llama-3.1-70b/h100x8").stepTimeMs(decode)).toBeLessThan(tp4);
    expect(model("llama-3.1-70b/h200x4").stepTimeMs(decode)).toBeLessThan(tp4);
  });

  it("Mixtral reads only the routed experts at batch 1, and computes with 12.9B active parameters", () => {
    expect(activeParams(MIXTRAL_8X7B)).toBeGreaterThan(12.8e9);
    expect(activeParams(MIXTRAL_8X7B)).toBeLessThan(13.0e9);
    const mixtral = model("mixtral-8x7b/h100x2");
    const one = mixtral.stepTimeMs(singleSequenceShape(512, 1));
    const many = mixtral.stepTimeMs({ sequences: 32, tokens: 32, attendedContext: 32 * 513, kvTokensRead: 32 * 513 });
    expect(many).toBeGreaterThan(1.5 * one); // more experts touched
  });

  it("an empty step takes no time", () => {
    expect(m8.stepTimeMs({ sequences: 0, tokens: 0, attendedContext: 0, kvTokensRead: 0 })).toBe(0);
  });
});

describe("KV memory", () => {
  it("Llama-3.1-8B holds 128 KiB of BF16 KV per token, half that in FP8", () => {
    expect(kvBytesPerToken(LLAMA_3_1_8B)).toBe(128 * 1024);
    expect(kvBytesPerToken(LLAMA_3_1_8B, "fp8")).toBe(64 * 1024);
    expect(kvBytesPerToken(LLAMA_3_1_70B)).toBe(320 * 1024);
  });

  it("Llama-3.1-8B on one H100 at 0.9 utilisation: ≈ 440k tokens of KV; FP8 doubles it", () => {
    const input = { model: LLAMA_3_1_8B, gpu: H100_SXM, tensorParallel: 1, gpuMemoryUtilization: 0.9 } as const;
    const bf16 = kvCapacityTokens({ ...input, kvCacheDtype: "bf16" });
    near(bf16, 440_000);
    const fp8 = kvCapacityTokens({ ...input, kvCacheDtype: "fp8" });
    expect(fp8 / bf16).toBeCloseTo(2, 2);
  });

  it("refuses a model that does not fit", () => {
    expect(() =>
      kvCapacityTokens({
        model: LLAMA_3_1_70B,
        gpu: H100_SXM,
        tensorParallel: 1,
        gpuMemoryUtilization: 0.9,
        kvCacheDtype: "bf16",
      }),
    ).toThrow(/does not fit/);
  });

  it("every preset fits its model", () => {
    for (const p of listPresets()) {
      const tokens = kvCapacityTokens({
        model: p.model,
        gpu: p.gpu,
        tensorParallel: p.tensorParallel,
        gpuMemoryUtilization: 0.9,
        kvCacheDtype: "bf16",
      });
      expect(tokens, p.id).toBeGreaterThan(100_000);
    }
  });
});

describe("presets", () => {
  it("lists the required deployments and names unknown ones in the error", () => {
    const ids = listPresets().map((p) => p.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "llama-3.1-8b/h100",
        "llama-3.1-70b/h100x4",
        "llama-3.1-70b/h100x8",
        "llama-3.1-8b/h200",
        "llama-3.1-70b/h200x4",
        "llama-3.1-70b/h200x8",
        "mixtral-8x7b/h100x2",
      ]),
    );
    expect(() => getPreset("gpt-5/tpu")).toThrow(/unknown sim preset "gpt-5\/tpu": use "<model>\/<gpu>"/);
  });
});
