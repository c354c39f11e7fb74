import { loadGsm8k } from "@weir/datasets";
import { loadArtifact } from "@weir/routing";
import { countTokens } from "@weir/tokens";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decideCascade, twoTiers, warmsUp } from "./cascade-decisions.js";
import { buildWorkload } from "./gsm8k-workload.js";

// The shipped GSM8K artifact on the first 40 vendored rows.
const artifact = loadArtifact(fileURLToPath(new URL("../../../../artifacts/gsm8k", import.meta.url)));
const tiers = twoTiers(artifact);
const ds = loadGsm8k();
const rows = buildWorkload(ds, { smallModel: tiers.smallModel, largeModel: tiers.largeModel, limit: 40 });

describe("the cascade's decisions on recorded GSM8K answers", () => {
  it("builds requests from the rows: chat prompt, block hashes, replayed output lengths", () => {
    expect(rows).toHaveLength(40);
    const r = rows[0]!;
    expect(r.messages).toEqual([{ role: "user", content: ds.rows[0]!.prompt }]);
    expect(r.blockHashes).toHaveLength(Math.floor(r.promptTokens / 16));
    expect(r.smallOutputTokens).toBe(countTokens(ds.rows[0]!.response[tiers.smallModel]!));
    const long = buildWorkload(ds, { smallModel: tiers.smallModel, largeModel: tiers.largeModel, limit: 2, contextTokens: 500 });
    expect(long[0]!.promptTokens - r.promptTokens).toBeGreaterThanOrEqual(500);
    expect(long[0]!.blockHashes[0]).not.toBe(long[1]!.blockHashes[0]);
    const heldOut = buildWorkload(ds, { smallModel: tiers.smallModel, largeModel: tiers.largeModel, heldOut: { seed: 42, testFraction: 0.2 } });
    expect(heldOut.length).toBeGreaterThan(150);
    expect(heldOut.length).toBeLessThan(250);
  });

  it("escalates only requests that started small, and warms by the router's threshold, not by hindsight", () => {
    const decisions = decideCascade(artifact, rows);
    expect(decisions.some((d) => d.escalates)).toBe(true);
    expect(decisions.some((d) => !d.escalates && !d.startsOnLarge)).toBe(true);
    for (const d of decisions) if (d.startsOnLarge) expect(d.escalates).toBe(false);
    expect(warmsUp(artifact, rows, 0).every((w) => !w)).toBe(true);
    expect(warmsUp(artifact, rows, 1)).toEqual(decisions.map((d) => !d.startsOnLarge));
    // A threshold warms exactly the small starts whose predicted acceptance is below it.
    expect(warmsUp(artifact, rows, 0.65)).toEqual(decisions.map((d) => !d.startsOnLarge && d.predictedAcceptance < 0.65));
  });
});
