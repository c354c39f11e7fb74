import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { WeirError } from "@weir/errors";
import { GenerationInputSchema, type RecordShadowRequestSchema } from "@weir/proto";
import { waitFor } from "@weir/testkit";
import { describe, expect, it } from "vitest";
import { createCascade, type CascadeOptions } from "./cascade.js";
import { createShadowVerifier, type ShadowReport, type ShadowVerifierOptions } from "./shadow-verification.js";
import { fakePorts, type FakeOptions } from "./test-support/fake-ports.js";

const TIERS: CascadeOptions["tiers"] = [
  { name: "small", model: "org/small-8b", pricing: { inputPerMTok: 0.1, outputPerMTok: 0.2 } },
  { name: "large", model: "org/large-70b", pricing: { inputPerMTok: 1, outputPerMTok: 2 } },
];

/** A promise opened from outside: a gate the test holds the shadow's worker at. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

/**
 * The fake cascade ports, plus a shadow whose every step writes to `log`;
 * the shadow's generation on "large" waits at `hold` when given.
 */
function setup(opts: { shadow?: Partial<ShadowVerifierOptions>; fake?: Partial<FakeOptions>; hold?: Promise<void> } = {}) {
  const log: string[] = [];
  const reports: ShadowReport[] = [];
  const recorded: MessageInitShape<typeof RecordShadowRequestSchema>[] = [];
  const ports = fakePorts({
    tiers: {
      small: { instances: ["s1"], pieces: ["#### ", "42"], score: 0.9 },
      large: { instances: ["l1"], pieces: ["#### ", "41"] },
    },
    ladder: [
      ["small", 0.5],
      ["large", 0],
    ],
    ...opts.fake,
  });
  const shadow = createShadowVerifier(
    {
      place: (req, signal) => {
        log.push(`shadow place ${req.tier}${req.warmup === true ? " (best effort)" : ""}`);
        return ports.place(req, signal);
      },
      async *generate(placement, req, signal) {
        log.push("shadow generate start");
        if (opts.hold !== undefined) await opts.hold;
        yield* ports.generate(placement, req, signal);
        log.push("shadow generate end");
      },
      recordShadow: async (req) => {
        recorded.push(req);
        log.push("shadow recorded");
      },
    },
    { fraction: 1, maxInFlight: 4, onReport: (r) => reports.push(r), ...opts.shadow },
  );
  const cascade = createCascade(ports, { tiers: TIERS, shadow });
  async function client(requestId = "req-1"): Promise<string> {
    let text = "";
    for await (const ev of cascade.run(create(GenerationInputSchema, { model: "weir-auto", messages: [{ role: "user", content: "6 x 7?" }] }), {
      signal: new AbortController().signal,
      requestId,
    })) {
      if (ev.type === "done") {
        text = ev.response.text;
        log.push(`client done ${requestId}`);
      }
    }
    log.push(`client complete ${requestId}`);
    return text;
  }
  return { log, reports, recorded, shadow, client, ports };
}

describe("L4 shadow verification in the cascade", () => {
  it("starts only after the client's answer is complete, and the client never waits for it", async () => {
    const held = gate();
    const s = setup({ hold: held.wait });
    expect(await s.client()).toBe("#### 42");
    // The client's run is over while the shadow's generation is still held.
    await waitFor(() => s.log.includes("shadow generate start"), { description: "the shadow to start" });
    expect(s.log).toEqual(["client done req-1", "client complete req-1", "shadow place large (best effort)", "shadow generate start"]);
    expect(s.shadow.inFlight).toBe(1);
    held.open();
    await waitFor(() => s.reports.length === 1, { description: "the shadow report" });
    expect(s.log.slice(-2)).toEqual(["shadow generate end", "shadow recorded"]);
    expect(s.reports[0]).toMatchObject({ outcome: "recorded", tier: "small", nextTier: "large" });
    expect(s.recorded[0]).toMatchObject({
      requestId: "req-1",
      tier: "small",
      nextTier: "large",
      acceptedResponse: "#### 42",
      shadowResponse: "#### 41",
      qeScore: 0.9,
      threshold: 0.5,
    });
    expect(s.shadow.inFlight).toBe(0);
  });

  it("cancels a shadow under load when maxInFlight shadows run, without queueing it", async () => {
    const held = gate();
    const s = setup({ hold: held.wait, shadow: { maxInFlight: 1 } });
    await s.client("a");
    await waitFor(() => s.shadow.inFlight === 1, { description: "one shadow running" });
    await s.client("b");
    expect(s.reports).toEqual([expect.objectContaining({ outcome: "cancelled-bound", requestId: "b" })]);
    held.open();
    await waitFor(() => s.shadow.inFlight === 0, { description: "the shadow to finish" });
    expect(s.reports.map((r) => r.outcome)).toEqual(["cancelled-bound", "recorded"]);
  });

  it("a refused best-effort placement cancels the shadow, not the client", async () => {
    const s = setup();
    const busy = createShadowVerifier(
      {
        place: async () => {
          throw WeirError.resourceExhausted("large is busy: warm-up refused");
        },
        generate: s.ports.generate,
        recordShadow: async () => undefined,
      },
      { fraction: 1, maxInFlight: 2, onReport: (r) => s.reports.push(r) },
    );
    const cascade = createCascade(s.ports, { tiers: TIERS, shadow: busy });
    for await (const ev of cascade.run(create(GenerationInputSchema, { model: "weir-auto", prompt: "6 x 7?" }), {
      signal: new AbortController().signal,
      requestId: "c",
    })) {
      if (ev.type === "done") expect(ev.response.text).toBe("#### 42");
    }
    await waitFor(() => s.reports.length === 1, { description: "the shadow report" });
    expect(s.reports[0]).toMatchObject({ outcome: "cancelled-refused", requestId: "c" });
  });

  it("shadows only the drawn fraction, and never an unjudged (last-rung) answer", async () => {
    const s = setup({ shadow: { fraction: 0.25, random: () => 0.5 } });
    await s.client();
    expect(s.reports).toEqual([expect.objectContaining({ outcome: "not-sampled" })]);

    const last = setup({ fake: { ladder: [["large", 0]] } });
    await last.client();
    await new Promise((r) => setImmediate(r));
    expect(last.reports).toEqual([]);
    expect(last.log).not.toContain("shadow generate start");
  });
});
