import { parseConfig, type PlacementPolicyName as ConfigPolicyName } from "@weir/config";
import { PLACEMENT_POLICY_NAMES, type PlacementPolicyName } from "@weir/placement";
import { describe, expect, it } from "vitest";
import { createTierPolicies } from "./tier-policies.js";

const TIERS = "tiers:\n  - { name: small, model: m }\n  - { name: large, model: l }\n";

describe("createTierPolicies", () => {
  it("gives each tier scheduler.policy unless tierOverrides names it, one instance per tier", () => {
    const { scheduler } = parseConfig(`${TIERS}scheduler: { policy: prefix-aware, tierOverrides: [{ name: large, policy: length-aware }] }\n`);
    const policies = createTierPolicies(scheduler, ["small", "large"]);
    expect(policies.of("small").name).toBe("prefix-aware");
    expect(policies.of("large").name).toBe("length-aware");
    expect(policies.of("large").lengthGroups).toBeDefined();
    expect(policies.of("small")).toBe(policies.of("small"));
    // A tier weir.yaml does not list gets the default, on first use.
    expect(policies.entries().map(([t]) => t)).toEqual(["small", "large"]);
    expect(policies.of("other").name).toBe("prefix-aware");
    expect(policies.entries()).toHaveLength(3);
  });

  it("offers in weir.yaml exactly the policies @weir/placement implements", () => {
    // Both ways at compile time...
    const toConfig: ConfigPolicyName = "round-robin" as PlacementPolicyName;
    const toPlacement: PlacementPolicyName = "round-robin" as ConfigPolicyName;
    void [toConfig, toPlacement];
    // ...and at run time: every name builds, and the config's error lists the same names.
    for (const name of PLACEMENT_POLICY_NAMES) {
      const { scheduler } = parseConfig(`${TIERS}scheduler: { policy: ${name} }\n`);
      expect(createTierPolicies(scheduler, ["small"]).of("small").name).toBe(name);
    }
    expect(() => parseConfig(`${TIERS}scheduler: { policy: nope }\n`)).toThrow(
      `one of ${PLACEMENT_POLICY_NAMES.map((n) => JSON.stringify(n)).join(", ")}`,
    );
  });
});
