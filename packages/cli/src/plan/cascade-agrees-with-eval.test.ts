// The planner replays the cascade with its own few lines (it does not depend
// on the trainer); this checks them against `weir eval` on the committed
// GSM8K artifact and the real answers: same accuracy and tier shares, at the
// artifact's β and at another.

import { loadGsm8k } from "@weir/datasets";
import { cascadeOutcome, scoreCascade } from "@weir/planner";
import { RoutingModel, loadArtifact } from "@weir/routing";
import { evaluateArtifact } from "@weir/trainer";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const artifactDir = fileURLToPath(new URL("../../../../artifacts/gsm8k", import.meta.url));

describe("the planner's cascade replay", () => {
  it("matches weir eval's accuracy and tier shares", async () => {
    const artifact = loadArtifact(artifactDir);
    const ds = loadGsm8k();
    const scored = await scoreCascade(new RoutingModel(artifact), ds);
    for (const beta of [artifact.budget.beta, 0.6]) {
      const ours = cascadeOutcome(scored, { beta, thresholdShift: 0 });
      const theirs = await evaluateArtifact(artifact, ds, { beta });
      expect(ours.accuracy).toBeCloseTo(theirs.accuracy, 4);
      expect(ours.quality).toBeCloseTo(theirs.relativeAccuracy, 4);
      expect(ours.reached[1]).toBeCloseTo(theirs.reached.large!, 4);
    }
  }, 60_000);
});
