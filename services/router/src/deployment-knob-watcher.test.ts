import { KnobHolder } from "@weir/routing";
import { describe, expect, it } from "vitest";
import { RequestKnob } from "./deployment-knob-watcher.js";

describe("RequestKnob", () => {
  it("gives every layer of one request the knob in force when it started, even across awaits", async () => {
    const holder = new KnobHolder({ onlyTier: "large" });
    const knob = new RequestKnob(holder);
    const seen = await knob.run(async (k) => {
      const first = knob.current();
      holder.set({ idleTiers: ["large"] });
      await new Promise((r) => setTimeout(r, 5));
      return [k, first, knob.current()];
    });
    expect(seen).toEqual([{ onlyTier: "large" }, { onlyTier: "large" }, { onlyTier: "large" }]);
    // Outside a request, and for the next one, the holder's new knob.
    expect(knob.current()).toEqual({ idleTiers: ["large"] });
    expect(knob.run((k) => k)).toEqual({ idleTiers: ["large"] });
    holder.set(undefined);
    expect(knob.run(() => knob.current())).toBeUndefined();
  });
});
