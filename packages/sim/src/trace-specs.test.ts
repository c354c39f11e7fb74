import type { TraceRequest } from "@weir/datasets";
import { describe, expect, it } from "vitest";
import { traceSpecs } from "./trace-specs.js";

function hashesOf(spec: { blockHashes?: unknown }): readonly bigint[] {
  const h = spec.blockHashes;
  if (typeof h !== "function") throw new Error("expected lazy block hashes");
  return (h as () => readonly bigint[])();
}

describe("traceSpecs", () => {
  it("turns equal leading Mooncake hash ids into equal leading engine block hashes", () => {
    const trace: TraceRequest[] = [
      { arrivalMs: 0, inputTokens: 1024, outputTokens: 5, hashIds: [7, 8] },
      { arrivalMs: 10, inputTokens: 1024, outputTokens: 5, hashIds: [7, 9] },
    ];
    const [a, b] = traceSpecs(trace, 16).map((t) => hashesOf(t.spec));
    expect(a).toHaveLength(64);
    expect(b!.slice(0, 32)).toEqual(a!.slice(0, 32));
    expect(b![32]).not.toBe(a![32]);
  });

  it("gives prompts without hash ids (Azure) block hashes shared with nothing", () => {
    const trace: TraceRequest[] = [
      { arrivalMs: 0, inputTokens: 600, outputTokens: 5 },
      { arrivalMs: 1, inputTokens: 600, outputTokens: 5 },
      { arrivalMs: 2, inputTokens: 512, outputTokens: 5, hashIds: [1] },
    ];
    const hashes = traceSpecs(trace, 16).map((t) => hashesOf(t.spec));
    expect(hashes.map((h) => h.length)).toEqual([37, 37, 32]);
    const all = hashes.flat();
    expect(new Set(all).size).toBe(all.length);
  });

  it("keeps ids and arrivals in order and makes zero lengths one token", () => {
    const specs = traceSpecs([{ arrivalMs: 5, inputTokens: 0, outputTokens: 0 }], 16);
    expect(specs[0]).toMatchObject({ arrivalMs: 5, spec: { id: "r0", promptTokens: 1, outputTokens: 1 } });
  });
});
