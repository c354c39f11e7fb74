import { describe, expect, it } from "vitest";
import { kvBytesPerToken } from "./kv-memory.js";
import { getPreset } from "./presets.js";
import { DEFAULT_CALIBRATION, StepTimeModel } from "./roofline.js";

const p = getPreset("llama-3.1-8b/h100");
const input = { model: p.model, gpu: p.gpu, tensorParallel: 1, kvCacheDtype: "bf16" as const };
// A decode batch of 64 sequences of 4k context: memory-bound, 32 GiB of KV at 16 bits.
const shape = { sequences: 64, tokens: 64, attendedContext: 64 * 4096, kvTokensRead: 64 * 4096 };

describe("roofline with quantised KV blocks", () => {
  const fullPerToken = kvBytesPerToken(p.model);
  const bytesPerMs = (p.gpu.hbmBandwidth * DEFAULT_CALIBRATION.bandwidthEfficiency) / 1000;

  it("reads quantised tokens at their bytes × (1 + quantisedKvReadOverhead); the rest as before", () => {
    const base = new StepTimeModel(input);
    const quantised = new StepTimeModel({ ...input, quantisedKvBytesPerToken: fullPerToken / 2 });
    const q = 60 * 4096;
    const saved = (q * fullPerToken * (1 - 0.5 * (1 + DEFAULT_CALIBRATION.quantisedKvReadOverhead))) / bytesPerMs;
    expect(base.stepTimeMs(shape) - quantised.stepTimeMs(shape, q)).toBeCloseTo(saved, 6);
    // No quantised tokens: the very same figure as a model without quantisation.
    expect(quantised.stepTimeMs(shape, 0)).toBe(base.stepTimeMs(shape));
  });

  it("an overhead of 1 gives back all of the gain (dequantisation not fused into attention)", () => {
    const unfused = new StepTimeModel({
      ...input,
      quantisedKvBytesPerToken: fullPerToken / 2,
      calibration: { ...DEFAULT_CALIBRATION, quantisedKvReadOverhead: 1 },
    });
    expect(unfused.stepTimeMs(shape, shape.kvTokensRead)).toBeCloseTo(new StepTimeModel(input).stepTimeMs(shape), 9);
  });
});
