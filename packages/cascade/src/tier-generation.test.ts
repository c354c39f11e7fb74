import { context, trace } from "@opentelemetry/api";
import { ErrorCode, WeirError } from "@weir/errors";
import { describe, expect, it } from "vitest";
import { fakePorts, type InstanceBehaviour } from "./test-support/fake-ports.js";
import { generateOnTier } from "./tier-generation.js";

const full = (id: string): InstanceBehaviour => ({
  failBeforeFirst: WeirError.resourceExhausted(`worker ${id} is full`, 1500),
});

async function run(instances: string[], behaviour: Record<string, InstanceBehaviour>, maxPlacementAttempts = 3) {
  const ports = fakePorts({
    tiers: { small: { instances, pieces: ["an ", "answer"] } },
    ladder: [["small", 0]],
    behaviour,
  });
  const gen = generateOnTier(
    ports,
    { requestId: "r", tier: "small", worker: { tier: "small", prompt: "p" }, promptTokens: 1, blockHashes: [] },
    { maxPlacementAttempts, signal: new AbortController().signal, ctx: context.active(), span: trace.getTracer("t").startSpan("s") },
  );
  try {
    for (;;) {
      const next = await gen.next();
      if (next.done === true) return { ports, result: next.value };
    }
  } catch (err) {
    return { ports, error: err as WeirError };
  }
}

describe("generateOnTier and full workers", () => {
  it("places again elsewhere when a worker refuses with RESOURCE_EXHAUSTED before any text", async () => {
    const { ports, result } = await run(["s1", "s2"], { s1: full("s1") });
    expect(result?.text).toBe("an answer");
    expect(result?.placement.instanceId).toBe("s2");
    expect(ports.calls.place.map((p) => p.excludeInstanceIds)).toEqual([[], ["s1"]]);
  });

  it("surfaces RESOURCE_EXHAUSTED with its Retry-After, not UNAVAILABLE, when every instance was full", async () => {
    const { error } = await run(["s1", "s2"], { s1: full("s1"), s2: full("s2") });
    expect(error?.code).toBe(ErrorCode.RESOURCE_EXHAUSTED);
    expect(error?.retryAfterMs).toBe(1500);
    // Out of instances to try (the scheduler says UNAVAILABLE): still the tier is full.
    const single = await run(["s1"], { s1: full("s1") });
    expect(single.error?.code).toBe(ErrorCode.RESOURCE_EXHAUSTED);
    expect(single.error?.message).toBe("worker s1 is full");
  });

  it("still reports UNAVAILABLE when no worker was full", async () => {
    const { error } = await run(["s1"], { s1: "fail-before-first" });
    expect(error?.code).toBe(ErrorCode.UNAVAILABLE);
  });
});
