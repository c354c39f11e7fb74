import { ErrorCode } from "@weir/errors";
import { describe, expect, it } from "vitest";
import { noInstanceError } from "./no-instance-error.js";

describe("noInstanceError", () => {
  it("is UNAVAILABLE and says how to start a worker for the tier", () => {
    const err = noInstanceError("small", 3000);
    expect(err.code).toBe(ErrorCode.UNAVAILABLE);
    expect(err.message).toBe(
      'no live worker for tier "small": no instance has sent a heartbeat in the last 3000 ms; ' +
        "start a model-worker with WEIR_TIER=small (connected to the same NATS server)",
    );
  });

  it("mentions draining instances", () => {
    expect(noInstanceError("large", 5000, { draining: 2 }).message).toBe(
      'no live worker for tier "large": 2 instances are draining and no other has sent a heartbeat ' +
        "in the last 5000 ms; start a model-worker with WEIR_TIER=large",
    );
  });

  it("says when every live instance was already tried", () => {
    expect(noInstanceError("small", 3000, { live: 2, excluded: 2 }).message).toContain(
      "all 2 live instances were already tried",
    );
    expect(noInstanceError("small", 3000, { live: 1, excluded: 1 }).message).toBe(
      'no worker for tier "small" is left to try: its only live instance was already tried by this request; ' +
        "start a model-worker with WEIR_TIER=small to add capacity",
    );
  });
});
