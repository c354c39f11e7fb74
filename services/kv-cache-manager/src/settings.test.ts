import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, readSettings } from "./settings.js";

describe("readSettings", () => {
  it("takes the defaults, overridden by WEIR_KV_* variables", () => {
    expect(readSettings({})).toEqual(DEFAULT_SETTINGS);
    expect(
      readSettings({ WEIR_KV_SNAPSHOT_EVERY_EVENTS: "500", WEIR_KV_SNAPSHOT_EVERY_MS: "0", WEIR_KV_MAX_ACK_PENDING: "64" }),
    ).toEqual({ ...DEFAULT_SETTINGS, snapshotEveryEvents: 500, snapshotEveryMs: 0, maxAckPending: 64 });
    expect(readSettings({ WEIR_KV_WARMUP_MAX_IN_FLIGHT: "0" }).warmUpMaxInFlight).toBe(0);
  });

  it("refuses a value that is not a whole number in range, naming the variable", () => {
    expect(() => readSettings({ WEIR_KV_SNAPSHOT_EVERY_MS: "30s" })).toThrow(/WEIR_KV_SNAPSHOT_EVERY_MS is "30s"/);
    expect(() => readSettings({ WEIR_KV_MAX_ACK_PENDING: "0" })).toThrow(/at least 1/);
    expect(() => readSettings({ WEIR_KV_SNAPSHOT_EVERY_EVENTS: "-1" })).toThrow(/at least 0/);
  });
});
