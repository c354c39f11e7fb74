import { H100_SXM, H200_SXM, LLAMA_3_1_70B, LLAMA_3_1_8B, MIXTRAL_8X7B } from "@weir/sim";
import { describe, expect, it } from "vitest";
import { enumerateDeploymentOptions, minimumGpus, optionKey, replicaKvCapacity } from "./deployment-option.js";

const keys = (o: ReturnType<typeof enumerateDeploymentOptions>): string[] => o.map(optionKey).sort();

describe("enumerateDeploymentOptions", () => {
  it("70B does not fit on one 80 GB H100 (141 GB of BF16 weights), nor on one H200", () => {
    expect(replicaKvCapacity({ model: LLAMA_3_1_70B, gpu: H100_SXM }, 1)).toBeUndefined();
    expect(replicaKvCapacity({ model: LLAMA_3_1_70B, gpu: H200_SXM }, 1)).toBeUndefined();
    const options = enumerateDeploymentOptions({ model: LLAMA_3_1_70B, gpu: H100_SXM, maxGpus: 8 });
    expect(options.some((o) => o.tensorParallel === 1)).toBe(false);
    expect(keys(options)).toEqual(["tp2x1", "tp2x2", "tp2x3", "tp2x4", "tp4x1", "tp4x2", "tp8x1"].sort());
    expect(minimumGpus({ model: LLAMA_3_1_70B, gpu: H100_SXM })).toBe(2);
  });

  it("70B on 2×H100 leaves only ≈19k tokens of KV: a larger minimum rules TP2 out", () => {
    const kv = replicaKvCapacity({ model: LLAMA_3_1_70B, gpu: H100_SXM }, 2)!;
    expect(kv).toBeGreaterThan(15_000);
    expect(kv).toBeLessThan(25_000);
    const options = enumerateDeploymentOptions({ model: LLAMA_3_1_70B, gpu: H100_SXM, maxGpus: 8, minKvTokens: 32_768 });
    expect(options.map((o) => o.tensorParallel).sort()).toEqual([4, 4, 8]);
    expect(minimumGpus({ model: LLAMA_3_1_70B, gpu: H100_SXM, minKvTokens: 32_768 })).toBe(4);
  });

  it("8B fits at every degree: 8 + 4 + 2 + 1 options on 8 GPUs, fewest GPUs first", () => {
    const options = enumerateDeploymentOptions({ model: LLAMA_3_1_8B, gpu: H100_SXM, maxGpus: 8 });
    expect(options).toHaveLength(15);
    expect(options.map((o) => o.gpus)).toEqual([...options.map((o) => o.gpus)].sort((a, b) => a - b));
    expect(options.every((o) => o.gpus === o.tensorParallel * o.replicas && o.gpus <= 8)).toBe(true);
    // More GPUs per replica, more KV per replica.
    const kv = (tp: number): number => options.find((o) => o.tensorParallel === tp)!.kvCapacityTokens;
    expect(kv(2)).toBeGreaterThan(2 * kv(1));
  });

  it("honours maxGpus and the degrees asked for", () => {
    const options = enumerateDeploymentOptions({
      model: MIXTRAL_8X7B,
      gpu: H100_SXM,
      maxGpus: 3,
      tensorParallelDegrees: [1, 2],
    });
    // Mixtral's 93 GB do not fit on one H100.
    expect(keys(options)).toEqual(["tp2x1"]);
  });
});
